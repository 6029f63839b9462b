package io.drover.bench.loadgen;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A misbehaving client beside a run ({@code drover bench --flood-malformed}): one more connection
 * that sends frames whose header is not a valid RequestHeader, as fast as the master takes them.
 * The master answers each with MALFORMED_FRAME and keeps the connection open, so the flood goes on
 * for the whole run and the run's latencies show what it costs the other clients.
 *
 * <p>Plain blocking sockets on two threads of its own, apart from the generator's event loop: one
 * writes, the other reads and counts the answers (reading them, so that the master is never held
 * up by this client's unread replies).
 */
public final class MalformedFlood implements AutoCloseable {
  /** A frame announcing a 5-byte RequestHeader of which only 2 bytes follow. */
  static final byte[] FRAME = {3, 5, 0x08, 0x00};

  private static final int FRAMES_PER_WRITE = 16_384;

  private final Socket socket;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong answered = new AtomicLong();
  private final Thread writer = new Thread(this::write, "malformed-flood-writer");
  private final Thread reader = new Thread(this::read, "malformed-flood-reader");
  private final long startNanos = System.nanoTime();
  private volatile boolean running = true;
  private volatile IOException failure;
  private long stopNanos;

  private MalformedFlood(Socket socket) {
    this.socket = socket;
  }

  /** Connects to {@code host:port} and starts flooding. */
  public static MalformedFlood start(String host, int port) throws IOException {
    Socket socket = new Socket(host, port);
    socket.setTcpNoDelay(true);
    MalformedFlood flood = new MalformedFlood(socket);
    flood.writer.setDaemon(true);
    flood.reader.setDaemon(true);
    flood.writer.start();
    flood.reader.start();
    return flood;
  }

  private void write() {
    byte[] chunk = new byte[FRAME.length * FRAMES_PER_WRITE];
    for (int i = 0; i < chunk.length; i += FRAME.length) {
      System.arraycopy(FRAME, 0, chunk, i, FRAME.length);
    }
    try {
      OutputStream out = socket.getOutputStream();
      while (running) {
        out.write(chunk);
        sent.addAndGet(FRAMES_PER_WRITE);
      }
    } catch (IOException e) {
      fail(e);
    }
  }

  private void read() {
    try {
      InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
      while (true) {
        in.skipNBytes(readVarint32(in));
        answered.incrementAndGet();
      }
    } catch (IOException e) {
      fail(e);
    }
  }

  private void fail(IOException e) {
    if (running && failure == null) {
      failure = e;
    }
  }

  private static int readVarint32(InputStream in) throws IOException {
    int result = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("the master closed the flooding connection");
      }
      result |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
    throw new IOException("malformed length prefix from the master");
  }

  /** Frames written so far. */
  public long sent() {
    return sent.get();
  }

  /** Answers read so far. */
  public long answered() {
    return answered.get();
  }

  /** Why the flood stopped early (the master closed the connection, say), or null. */
  public IOException failure() {
    return failure;
  }

  /**
   * Stops writing, waits up to 10 s for the answers to what was sent, and closes the connection.
   */
  @Override
  public void close() throws InterruptedException {
    running = false;
    stopNanos = System.nanoTime();
    writer.join(TimeUnit.SECONDS.toMillis(10));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (answered.get() < sent.get() && failure == null && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
    writer.join();
    reader.join();
  }

  /** Frames sent per second while flooding. */
  public double sentPerSecond() {
    long end = stopNanos == 0 ? System.nanoTime() : stopNanos;
    return sent.get() / ((end - startNanos) / 1e9);
  }

  /** The flood's figures, the shape of the JSON output. */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("sent", sent());
    map.put("answered", answered());
    map.put("sent_per_s", Math.round(sentPerSecond()));
    map.put("failure", failure == null ? null : failure.toString());
    return map;
  }

  /** One line for people. */
  public String describe() {
    return String.format(
        "flood        %,d malformed frames sent (%,.0f/s), %,d answered%s",
        sent(), sentPerSecond(), answered(), failure == null ? "" : "; stopped early: " + failure);
  }
}
