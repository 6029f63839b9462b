package io.drover.bench.fuzz;

import io.drover.protocol.proto.Status;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a fuzzing run saw, added to by every connection's thread: frames sent by shape, answers by
 * status, connections, and the <em>violations</em>: anything the master did that PROTOCOL.md does
 * not allow (an answer that is not a ResponseHeader, a status no version defines, a tracked echo
 * answered with other bytes, a close without the error frame that must precede it, a connection
 * the master stopped answering). A run passes when there are none.
 */
public final class FuzzTally {
  private static final int KEPT_VIOLATIONS = 20;

  private final Map<FrameShape, LongAdder> sent = new EnumMap<>(FrameShape.class);
  private final Map<String, LongAdder> answers = new java.util.concurrent.ConcurrentHashMap<>();
  private final LongAdder connections = new LongAdder();
  private final LongAdder closedByMaster = new LongAdder();
  private final LongAdder echoesChecked = new LongAdder();
  private final LongAdder probes = new LongAdder();
  private final AtomicInteger violationCount = new AtomicInteger();
  private final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();

  /** An empty tally. */
  public FuzzTally() {
    for (FrameShape shape : FrameShape.values()) {
      sent.put(shape, new LongAdder());
    }
  }

  void countSent(FrameShape shape) {
    sent.get(shape).increment();
  }

  void answered(int status) {
    Status known = Status.forNumber(status);
    answers.computeIfAbsent(known == null ? "status " + status : known.name(), k -> new LongAdder()).increment();
  }

  void connected() {
    connections.increment();
  }

  void countClosedByMaster() {
    closedByMaster.increment();
  }

  void echoChecked() {
    echoesChecked.increment();
  }

  void probeAnswered() {
    probes.increment();
  }

  /** Records a violation of the protocol; the first few are kept with their description. */
  void violation(String what) {
    if (violationCount.incrementAndGet() <= KEPT_VIOLATIONS) {
      violations.add(what);
    }
  }

  /** How many violations were seen. */
  public int violationCount() {
    return violationCount.get();
  }

  /** The first violations' descriptions. */
  public List<String> violations() {
    return new ArrayList<>(violations);
  }

  /** Frames sent of {@code shape}. */
  public long sent(FrameShape shape) {
    return sent.get(shape).sum();
  }

  /** Frames sent in all. */
  public long sentTotal() {
    return sent.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** Answers read with status {@code name} (a {@link Status} name). */
  public long answers(String name) {
    LongAdder n = answers.get(name);
    return n == null ? 0 : n.sum();
  }

  /** Connections opened. */
  public long connections() {
    return connections.sum();
  }

  /** Connections the master closed after a connection-level error, as it must. */
  public long closedByMaster() {
    return closedByMaster.sum();
  }

  /** Tracked echo requests answered OK with their own payload. */
  public long echoesChecked() {
    return echoesChecked.sum();
  }

  /** Probes (a PING after each burst) answered: the connection was still in sync. */
  public long probes() {
    return probes.sum();
  }

  /** The tally as the JSON report shows it. */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    Map<String, Long> bySent = new LinkedHashMap<>();
    sent.forEach((shape, n) -> bySent.put(shape.name(), n.sum()));
    Map<String, Long> byStatus = new java.util.TreeMap<>();
    answers.forEach((status, n) -> byStatus.put(status, n.sum()));
    map.put("frames_sent", bySent);
    map.put("answers", byStatus);
    map.put("connections", connections());
    map.put("closed_by_master", closedByMaster());
    map.put("echoes_checked", echoesChecked());
    map.put("probes_answered", probes());
    map.put("violations", violationCount());
    map.put("first_violations", violations());
    return map;
  }
}
