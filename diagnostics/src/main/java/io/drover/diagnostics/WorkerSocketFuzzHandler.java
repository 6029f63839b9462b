package io.drover.diagnostics;

import io.drover.worker.TaskContext;
import io.drover.worker.TaskHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Task type {@code "fuzz-worker-socket"}: hostile input on the master's worker socket from a
 * process that passes its peer check (this worker, which the master spawned). Payload: {@code
 * "<connections> <seed>"}. Each connection, one after another, sends one hostile thing — frames
 * of random contents, results and heartbeats before any registration, registrations that are
 * garbage, for another slot, or for this very slot again (which is registered already on the
 * worker's own connection), a length prefix above any maximum or longer than five bytes — and
 * waits up to 30 s for the master to close it; a few close in the middle of a frame instead.
 * Answers {@code connections=N closed=M open=K} (K connections the master left open) and the
 * first one left open.
 */
public final class WorkerSocketFuzzHandler implements TaskHandler {
  /** The task type. */
  public static final String TASK_TYPE = "fuzz-worker-socket";

  private static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

  @Override
  public String taskType() {
    return TASK_TYPE;
  }

  @Override
  public byte[] handle(TaskContext context, byte[] payload) throws Exception {
    String[] args = new String(payload, StandardCharsets.US_ASCII).trim().split("\\s+");
    int connections = Integer.parseInt(args[0]);
    SplittableRandom random = new SplittableRandom(Long.parseLong(args[1]));
    UnixDomainSocketAddress socket = UnixDomainSocketAddress.of(System.getenv("DROVER_WORKER_SOCKET"));
    int closed = 0;
    int open = 0;
    String firstOpen = null;
    for (int i = 0; i < connections && !context.isCancelled(); i++) {
      int what = random.nextInt(9);
      byte[] bytes = hostile(what, random, context.workerId());
      try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
        ch.connect(socket);
        if (what == 8) {
          ch.write(ByteBuffer.wrap(bytes, 0, 1 + random.nextInt(bytes.length - 1)));
          continue; // half a frame, then this end closes
        }
        ch.write(ByteBuffer.wrap(bytes));
        if (closedByMaster(ch)) {
          closed++;
        } else {
          open++;
          if (firstOpen == null) {
            firstOpen = "kind " + what + ": " + java.util.HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 32));
          }
        }
      }
    }
    return ("connections=" + connections + " closed=" + closed + " open=" + open
            + (firstOpen == null ? "" : " first-open=" + firstOpen))
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** Whether the master closes {@code ch} (end of stream) within the wait; whatever it sends is read. */
  private static boolean closedByMaster(SocketChannel ch) throws IOException {
    ch.configureBlocking(false);
    ByteBuffer sink = ByteBuffer.allocate(4096);
    long deadline = System.nanoTime() + CLOSE_WAIT_NANOS;
    try (Selector selector = Selector.open()) {
      ch.register(selector, SelectionKey.OP_READ);
      while (System.nanoTime() - deadline < 0) {
        selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        selector.selectedKeys().clear();
        try {
          while (true) {
            sink.clear();
            int n = ch.read(sink);
            if (n < 0) {
              return true;
            }
            if (n == 0) {
              break;
            }
          }
        } catch (IOException e) {
          return true; // reset by the master: closed too
        }
      }
    }
    return false;
  }

  private static byte[] hostile(int what, SplittableRandom random, int ownSlot) {
    long pid = ProcessHandle.current().pid();
    return switch (what) {
      case 0 -> framed(randomBytes(random, 1 + random.nextInt(512)));
      case 1 -> event(RESULT, random.nextLong(), randomBytes(random, random.nextInt(64)));
      case 2 -> event(HEARTBEAT, 0, randomBytes(random, random.nextInt(64)));
      case 3 -> event(REGISTER, 0, randomBytes(random, 1 + random.nextInt(64)));
      case 4 -> event(REGISTER, 0, registration(ownSlot, pid)); // this slot, again
      case 5 -> event(REGISTER, 0, registration(ownSlot + 1 + random.nextInt(100), pid));
      case 6 -> new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07}; // 2 GiB - 1
      case 7 -> new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01};
      default -> event(RESULT, random.nextLong(), randomBytes(random, 16 + random.nextInt(64)));
    };
  }

  // The worker protocol (PROTOCOL.md §9) written by hand: handlers see no protobuf or Netty.
  private static final int RESULT = 0;
  private static final int REGISTER = 1;
  private static final int HEARTBEAT = 2;

  /** A Registration: worker_id = 1, pid = 2, capacity = 3, task_types = 4. */
  private static byte[] registration(int slot, long pid) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    varint(out, 1 << 3);
    varint(out, slot);
    varint(out, 2 << 3);
    varint(out, pid);
    varint(out, 3 << 3);
    varint(out, 1);
    varint(out, (4 << 3) | 2);
    varint(out, 4);
    out.writeBytes("echo".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  /** A frame with a WorkerEventHeader (kind = 1, task_id = 2) and {@code body}. */
  private static byte[] event(int kind, long taskId, byte[] body) {
    ByteArrayOutputStream header = new ByteArrayOutputStream();
    if (kind != 0) {
      varint(header, 1 << 3);
      varint(header, kind);
    }
    if (taskId != 0) {
      varint(header, 2 << 3);
      varint(header, taskId);
    }
    ByteArrayOutputStream contents = new ByteArrayOutputStream();
    varint(contents, header.size());
    contents.writeBytes(header.toByteArray());
    contents.writeBytes(body);
    return framed(contents.toByteArray());
  }

  private static byte[] framed(byte[] contents) {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    varint(frame, contents.length);
    frame.writeBytes(contents);
    return frame.toByteArray();
  }

  private static void varint(ByteArrayOutputStream out, long value) {
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }

  private static byte[] randomBytes(SplittableRandom random, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) random.nextInt(256);
    }
    return b;
  }
}
