package io.drover.master.internal.admin;

import io.drover.master.internal.logging.LogFilter;
import io.drover.master.internal.logging.LogLine;
import io.drover.master.internal.logging.LogLineFormat;
import io.drover.master.internal.logging.LogRing;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * The readers of {@code GET /logs?follow=1}: each gets its last lines, then every new line its
 * filter matches, as the {@link LogRing} wakes the admin loop (once for all the lines appended
 * since the previous wake-up, so a burst of lines is one chunk per reader, not one per line).
 *
 * <p>A reader whose connection is not writable (it reads slower than lines come) is not written
 * to: the lines it misses are counted, and once it is writable again it gets one line {@code [...
 * 42 lines dropped]} before the next ones. Lines go out in chunks of about {@link #CHUNK_CHARS}
 * characters, writability checked after each, so the master buffers at most one chunk beyond the
 * connection's high-water mark for each reader, however slow.
 *
 * <p>Admin loop only, but for the ring, which the writers' threads fill.
 */
final class LogFollowers {
  /** About how much text one chunk holds: a reader gets at most this much past its high mark. */
  static final int CHUNK_CHARS = 16 * 1024;

  private final LogRing ring;
  private final Executor adminLoop;
  private final Set<Follower> following = new LinkedHashSet<>();

  LogFollowers(LogRing ring, Executor adminLoop) {
    this.ring = ring;
    this.adminLoop = adminLoop;
  }

  /** A new reader of the last {@code backlog} lines and those to come, that {@code filter} matches. */
  AdminStream follower(int backlog, LogFilter filter) {
    return new Follower(backlog, filter);
  }

  /** How many readers follow now. */
  int size() {
    return following.size();
  }

  private void deliverAll() {
    for (Follower f : List.copyOf(following)) {
      f.deliver();
    }
  }

  private final class Follower implements AdminStream {
    private final int backlog;
    private final LogFilter filter;
    private Out out;
    private long nextSeq;
    private long dropped;

    Follower(int backlog, LogFilter filter) {
      this.backlog = backlog;
      this.filter = filter;
    }

    @Override
    public void start(Out out) {
      this.out = out;
      LogRing.Batch last = ring.last(backlog, filter);
      nextSeq = last.nextSeq();
      send(last.lines());
      if (following.isEmpty()) {
        ring.wakeOnAppend(adminLoop, LogFollowers.this::deliverAll);
      }
      following.add(this);
      deliver(); // what came between the last lines and the wake-up
    }

    @Override
    public void writable() {
      deliver();
    }

    @Override
    public void closed() {
      if (following.remove(this) && following.isEmpty()) {
        ring.stopWaking();
      }
    }

    void deliver() {
      LogRing.Batch batch = ring.since(nextSeq, filter);
      nextSeq = batch.nextSeq();
      dropped += batch.missed();
      if (!out.writable()) {
        dropped += batch.lines().size();
        return;
      }
      send(batch.lines());
    }

    /**
     * Writes {@code lines} in chunks of about {@link #CHUNK_CHARS}, after the count of those
     * dropped before them; once the connection stops being writable the rest are dropped too.
     */
    private void send(List<LogLine> lines) {
      StringBuilder text = new StringBuilder();
      if (dropped > 0) {
        text.append("[... ").append(dropped).append(dropped == 1 ? " line" : " lines").append(" dropped]\n");
        dropped = 0;
      }
      for (int i = 0; i < lines.size(); i++) {
        LogLineFormat.appendTo(text, lines.get(i));
        if (text.length() >= CHUNK_CHARS && i < lines.size() - 1) {
          out.write(text);
          text.setLength(0);
          if (!out.writable()) {
            dropped += lines.size() - i - 1;
            return;
          }
        }
      }
      if (text.length() > 0) {
        out.write(text);
      }
    }
  }
}
