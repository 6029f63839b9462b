package io.drover.master.internal.dispatch;
import static org.assertj.core.api.Assertions.assertThat;
import io.drover.master.internal.schedule.LeastLoadedScheduler;
import io.drover.protocol.testing.LeakDetectionExtension;
import io.drover.master.internal.transport.BatchFlusher;
import io.drover.master.internal.transport.OutboundBatch;
import io.drover.protocol.proto.Registration;
import io.drover.protocol.proto.Status;
import io.drover.protocol.wire.ProtoWire;
import io.drover.protocol.wire.RequestHeaderCodec;
import io.drover.protocol.wire.ResponseHeaderCodec;
import io.drover.protocol.wire.WorkerCommandCodec;
import io.drover.protocol.wire.WorkerEventCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Drives the real {@link Dispatcher} with embedded channels standing in for client and worker
 * connections, and reads what it writes to them as the peers would. Tests of the dispatcher's
 * parts extend it; after each test it ends every task left running or queued and fails if any
 * task is left in progress (or, with the leak extension, if a buffer leaked).
 */
@ExtendWith(LeakDetectionExtension.class)
abstract class DispatcherHarness {
  static final int MAX_ATTEMPTS = 3;

  // EmbeddedChannel.write runs the pending tasks of the channel written to, so the dispatcher and
  // the flusher get a loop of their own that no one writes to: flushes happen only in flush().
  final EmbeddedChannel loop = new EmbeddedChannel();
  final BatchFlusher flusher = new BatchFlusher(loop.eventLoop());
  final StubRegistry registry = new StubRegistry();
  final List<EmbeddedChannel> channels = new ArrayList<>();
  final List<Client> clients = new ArrayList<>();
  final List<Worker> workers = new ArrayList<>();
  final java.util.Set<String> submittedTypes = new java.util.TreeSet<>();
  Dispatcher dispatcher = newDispatcher(8);

  Dispatcher newDispatcher(int inFlightCapPerWorker) {
    return new Dispatcher(
        loop.eventLoop(),
        new LeastLoadedScheduler(new SplittableRandom(1)),
        registry,
        io.drover.master.config.InFlightLimit.fixed(inFlightCapPerWorker),
        MAX_ATTEMPTS);
  }

  @AfterEach
  void finishChannels() {
    // The dispatcher owns each task's frame until the task ends. End every task the test left
    // running or queued (the way connections closing would), so the leak check sees real leaks.
    clients.forEach(c -> dispatcher.clientPort().clientDisconnected(c.session));
    List.copyOf(workers).forEach(w -> dispatcher.workerPort().workerDisconnected(w.session));
    if (dispatcher.queued() > 0) {
      connectWorker(99, 1_000_000, submittedTypes.toArray(String[]::new));
    }
    assertThat(dispatcher.tasksInProgress()).as("tasks left after tear-down").isZero();
    channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    loop.finishAndReleaseAll();
  }


  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static <T> T single(List<T> list) {
    assertThat(list).hasSize(1);
    return list.get(0);
  }

  EmbeddedChannel newChannel() {
    EmbeddedChannel ch = new EmbeddedChannel();
    channels.add(ch);
    return ch;
  }

  static Registration registration(int workerId, long pid, int capacity, String... types) {
    return Registration.newBuilder()
        .setWorkerId(workerId)
        .setPid(pid)
        .setCapacity(capacity)
        .addAllTaskTypes(Arrays.asList(types))
        .build();
  }

  Client connectClient() {
    EmbeddedChannel ch = newChannel();
    OutboundBatch out = new OutboundBatch(ch, flusher);
    Client c = new Client(ch, out, dispatcher.clientPort().clientConnected(ch, out));
    clients.add(c);
    return c;
  }

  Worker connectWorker(int workerId, int capacity, String... types) {
    long pid = 1000 + workerId;
    EmbeddedChannel ch = newChannel();
    OutboundBatch out = new OutboundBatch(ch, flusher);
    WorkerSession session = dispatcher.workerPort().workerConnected(ch, out, pid);
    assertThat(dispatcher.workerPort().registered(session, registration(workerId, pid, capacity, types))).isNull();
    Worker w = new Worker(ch, out, session);
    workers.add(w);
    return w;
  }

  /** What the transport does when a worker connection closes. */
  void disconnect(Worker w) {
    dispatcher.workerPort().workerDisconnected(w.session);
    w.out.discard();
    w.channel.close();
  }

  /** Sends a SUBMIT frame as ClientFrameHandler would; returns the frame (owned by the dispatcher). */
  ByteBuf submit(Client c, long requestId, String type, byte[] payload) {
    ByteBuf frame = ByteBufAllocator.DEFAULT.buffer();
    RequestHeaderCodec.writeFrame(frame, RequestHeaderCodec.KIND_SUBMIT, requestId, bytes(type), payload);
    return deliver(c, type, frame);
  }

  /** Like {@link #submit} with a deadline of {@code timeoutMs}. */
  ByteBuf submitWithDeadline(Client c, long requestId, String type, byte[] payload, int timeoutMs) {
    ByteBuf frame = ByteBufAllocator.DEFAULT.buffer();
    RequestHeaderCodec.writeFramePrefix(
        frame, RequestHeaderCodec.KIND_SUBMIT, requestId, bytes(type), false, ProtoWire.EMPTY,
        RequestHeaderCodec.PRIORITY_NORMAL, timeoutMs, ProtoWire.EMPTY, payload.length);
    frame.writeBytes(payload);
    return deliver(c, type, frame);
  }

  /** Like {@link #submit} with a traceparent (sent as given, checked only by the master). */
  ByteBuf submitTraced(Client c, long requestId, String type, byte[] payload, String traceparent) {
    ByteBuf frame = ByteBufAllocator.DEFAULT.buffer();
    RequestHeaderCodec.writeFramePrefix(
        frame, RequestHeaderCodec.KIND_SUBMIT, requestId, bytes(type), false, ProtoWire.EMPTY,
        RequestHeaderCodec.PRIORITY_NORMAL, 0, traceparent.getBytes(StandardCharsets.US_ASCII), payload.length);
    frame.writeBytes(payload);
    return deliver(c, type, frame);
  }

  /**
   * Hands a whole SUBMIT frame (length prefix included) to the dispatcher as ClientFrameHandler
   * would; returns the frame (owned by the dispatcher).
   */
  ByteBuf deliver(Client c, String type, ByteBuf frame) {
    if (!type.isEmpty()) {
      submittedTypes.add(type);
    }
    ProtoWire.readVarint32(frame); // FrameDecoder strips the length prefix
    RequestHeaderCodec header = new RequestHeaderCodec();
    header.decode(frame);
    dispatcher.clientPort().submit(c.session, header, frame);
    return frame;
  }


  /** Sends a RESULT frame as WorkerFrameHandler would; returns the frame (owned by the dispatcher). */
  ByteBuf result(Worker w, long taskId, int status, String message, byte[] body) {
    ByteBuf frame = ByteBufAllocator.DEFAULT.buffer();
    WorkerEventCodec.writeFramePrefix(
        frame, WorkerEventCodec.KIND_RESULT, taskId, status, bytes(message), body.length);
    frame.writeBytes(body);
    ProtoWire.readVarint32(frame);
    WorkerEventCodec header = new WorkerEventCodec();
    header.decode(frame);
    dispatcher.workerPort().result(w.session, header, frame);
    return frame;
  }

  /** Runs the flusher, then takes and releases everything written to {@code ch}, as one stream. */
  ByteBuf drain(EmbeddedChannel ch) {
    loop.runPendingTasks();
    ByteBuf all = Unpooled.buffer();
    for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
      all.writeBytes(b);
      b.release();
    }
    return all;
  }

  /** Splits a stream into frames (length prefix removed) and hands each to {@code reader}. */
  static <T> List<T> frames(ByteBuf stream, java.util.function.Function<ByteBuf, T> reader) {
    List<T> out = new ArrayList<>();
    while (stream.isReadable()) {
      int length = ProtoWire.readVarint32(stream);
      out.add(reader.apply(stream.readSlice(length)));
    }
    return out;
  }

  List<Sent> tasksSentTo(Worker w) {
    ByteBuf stream = drain(w.channel);
    try {
      return frames(
          stream,
          f -> {
            WorkerCommandCodec h = new WorkerCommandCodec();
            h.decode(f);
            String type = f.toString(h.taskTypeIndex(), h.taskTypeLength(), StandardCharsets.UTF_8);
            String traceparent =
                f.toString(h.traceparentIndex(), h.traceparentLength(), StandardCharsets.US_ASCII);
            return new Sent(h.kind(), h.taskId(), type, h.attempt(), ByteBufUtil.getBytes(f), traceparent);
          });
    } finally {
      stream.release();
    }
  }

  List<Response> responsesTo(Client c) {
    ByteBuf stream = drain(c.channel);
    try {
      return frames(
          stream,
          f -> {
            ResponseHeaderCodec h = new ResponseHeaderCodec();
            h.decode(f);
            return new Response(
                h.requestId(), h.status(), h.message(f), h.attempts(), ByteBufUtil.getBytes(f));
          });
    } finally {
      stream.release();
    }
  }

  static final class Client {
    final EmbeddedChannel channel;
    final OutboundBatch out;
    final ClientSession session;

    Client(EmbeddedChannel channel, OutboundBatch out, ClientSession session) {
      this.channel = channel;
      this.out = out;
      this.session = session;
    }

    EmbeddedChannel channel() {
      return channel;
    }

    OutboundBatch out() {
      return out;
    }

    ClientSession session() {
      return session;
    }
  }

  static final class Worker {
    final EmbeddedChannel channel;
    final OutboundBatch out;
    final WorkerSession session;

    Worker(EmbeddedChannel channel, OutboundBatch out, WorkerSession session) {
      this.channel = channel;
      this.out = out;
      this.session = session;
    }

    EmbeddedChannel channel() {
      return channel;
    }

    OutboundBatch out() {
      return out;
    }

    WorkerSession session() {
      return session;
    }
  }

  /** A frame the master sent to a worker. */
  static final class Sent {
    final int kind;
    final long taskId;
    final String type;
    final int attempt;
    final byte[] payload;
    /** Empty when the TASK frame carried none. */
    final String traceparent;

    Sent(int kind, long taskId, String type, int attempt, byte[] payload, String traceparent) {
      this.traceparent = traceparent;
      this.kind = kind;
      this.taskId = taskId;
      this.type = type;
      this.attempt = attempt;
      this.payload = payload;
    }

    int kind() {
      return kind;
    }

    long taskId() {
      return taskId;
    }

    String type() {
      return type;
    }

    int attempt() {
      return attempt;
    }

    byte[] payload() {
      return payload;
    }
  }

  /** A frame the master sent to a client. */
  static final class Response {
    final long requestId;
    final int status;
    final String message;
    final int attempts;
    final byte[] body;

    Response(long requestId, int status, String message, int attempts, byte[] body) {
      this.requestId = requestId;
      this.status = status;
      this.message = message;
      this.attempts = attempts;
      this.body = body;
    }

    long requestId() {
      return requestId;
    }

    int status() {
      return status;
    }

    String message() {
      return message;
    }

    int attempts() {
      return attempts;
    }

    byte[] body() {
      return body;
    }
  }

  /** Accepts every worker unless told otherwise, and remembers what it was told. */
  static final class StubRegistry implements WorkerRegistry {
    final List<Integer> registered = new ArrayList<>();
    final List<Integer> disconnected = new ArrayList<>();
    final List<String> recycled = new ArrayList<>();
    String refusal;

    @Override
    public String registered(int workerId, long pid, int capacity, List<String> taskTypes) {
      registered.add(workerId);
      return refusal;
    }

    @Override
    public void recycle(int workerId, long pid, String reason) {
      recycled.add("worker " + workerId + ": " + reason);
    }

    @Override
    public void disconnected(int workerId, long pid) {
      disconnected.add(workerId);
    }
  }
}
