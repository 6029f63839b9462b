package io.drover.bench.fuzz;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.drover.protocol.proto.ResponseHeader;
import io.drover.protocol.proto.Status;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One hostile client, on a thread of its own: it connects, sends bursts of frames of random
 * shapes, and after each burst a PING (the <em>probe</em>) whose answer shows the connection is
 * still in sync and served; now and then it ends a connection with a frame that breaks framing
 * (and expects the error frame and the close) or by closing in the middle of a frame, and
 * connects again, until the run's deadline. Everything it reads is checked against PROTOCOL.md
 * and counted in the {@link FuzzTally}.
 *
 * <p>Blocking sockets, writing a burst and then reading: a burst is at most {@value #BURST_MAX}
 * frames (a few hundred KiB with an absurd job), so the answers never fill the buffers between
 * the master and this thread while it is still writing.
 */
final class FuzzConnection implements Runnable {
  static final int BURST_MAX = 32;
  /** Probe ids: far from the tracked echo ids and from the random ids of the other frames. */
  private static final long PROBE_BASE = 1L << 61;

  private static final FrameShape[] IN_SYNC =
      Arrays.stream(FrameShape.values()).filter(s -> s.ending() == FrameShape.Ending.NONE).toArray(FrameShape[]::new);

  private final InetSocketAddress master;
  private final int maxFrameBytes;
  private final long seed;
  private final long deadlineNanos;
  private final int probeTimeoutMillis;
  private final FuzzTally tally;
  private final String name;
  private long nextProbe = PROBE_BASE;

  FuzzConnection(
      String name, InetSocketAddress master, int maxFrameBytes, long seed, long deadlineNanos, int probeTimeoutMillis, FuzzTally tally) {
    this.name = name;
    this.master = master;
    this.maxFrameBytes = maxFrameBytes;
    this.seed = seed;
    this.deadlineNanos = deadlineNanos;
    this.probeTimeoutMillis = probeTimeoutMillis;
    this.tally = tally;
  }

  @Override
  public void run() {
    try {
      fuzz();
    } catch (RuntimeException | Error e) {
      tally.violation(name + ": the fuzzer itself failed (seed " + seed + "): " + e);
      throw e;
    }
  }

  private void fuzz() {
    SplittableRandom random = new SplittableRandom(seed);
    HostileFrames frames = new HostileFrames(random, maxFrameBytes);
    while (System.nanoTime() - deadlineNanos < 0) {
      try (Socket socket = new Socket()) {
        socket.connect(master, probeTimeoutMillis);
        socket.setSoTimeout(probeTimeoutMillis);
        socket.setTcpNoDelay(true);
        tally.connected();
        if (!session(socket, frames, random)) {
          return; // a violation ended it: the tally has it, and going on would only repeat it
        }
      } catch (IOException e) {
        tally.violation(name + ": could not connect to the master at " + master + " (seed " + seed + "): " + e);
        return;
      }
    }
  }

  /**
   * Bursts on one connection until it ends or the deadline passes.
   *
   * @return false after a violation
   */
  private boolean session(Socket socket, HostileFrames frames, SplittableRandom random) throws IOException {
    OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
    DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
    Map<Long, byte[]> tracked = new HashMap<>();
    List<FrameShape> burst = new ArrayList<>(BURST_MAX + 1);
    while (System.nanoTime() - deadlineNanos < 0) {
      burst.clear();
      for (int i = 1 + random.nextInt(BURST_MAX); i > 0; i--) {
        send(out, frames.next(IN_SYNC[random.nextInt(IN_SYNC.length)]), tracked, burst);
      }
      int end = random.nextInt(40);
      if (end == 0) {
        send(out, frames.next(random.nextBoolean() ? FrameShape.HUGE_LENGTH : FrameShape.BAD_PREFIX), tracked, burst);
        out.flush();
        return readUntilClosed(in, tracked, burst);
      }
      if (end == 1) {
        send(out, frames.next(FrameShape.HALF_FRAME_THEN_CLOSE), tracked, burst);
        out.flush();
        return true; // closed by the caller, with the master's answers unread
      }
      long probe = nextProbe++;
      out.write(HostileFrames.ping(probe));
      out.flush();
      if (!readUntilProbe(in, tracked, probe, burst)) {
        return false;
      }
    }
    return true;
  }

  private void send(OutputStream out, HostileFrames.Frame frame, Map<Long, byte[]> tracked, List<FrameShape> burst)
      throws IOException {
    out.write(frame.bytes());
    tally.countSent(frame.shape());
    burst.add(frame.shape());
    if (frame.tracked()) {
      tracked.put(frame.trackedId(), frame.expected());
    }
  }

  /** Reads answers until the probe's; false after a violation. */
  private boolean readUntilProbe(DataInputStream in, Map<Long, byte[]> tracked, long probe, List<FrameShape> burst) {
    try {
      while (true) {
        Answer a = read(in, burst);
        if (a == null) {
          return false;
        }
        if (a.id == probe) {
          if (a.status != Status.OK_VALUE) {
            tally.violation(name + ": the probe PING was answered " + a.status + " after " + burst);
            return false;
          }
          tally.probeAnswered();
          return true;
        }
        checkTracked(a, tracked, burst);
      }
    } catch (EOFException e) {
      tally.violation(name + ": the master closed a connection in sync, without a connection-level error, after " + burst);
    } catch (SocketTimeoutException e) {
      tally.violation(name + ": no answer to the probe within " + probeTimeoutMillis + " ms after " + burst);
    } catch (IOException e) {
      tally.violation(name + ": reading a connection in sync failed (" + e + ") after " + burst);
    }
    return false;
  }

  /**
   * After a frame that breaks framing: reads to the end, which must follow a connection-level
   * FRAME_TOO_LARGE or MALFORMED_FRAME. False after a violation.
   */
  private boolean readUntilClosed(DataInputStream in, Map<Long, byte[]> tracked, List<FrameShape> burst) {
    Answer last = null;
    try {
      while (true) {
        Answer a = read(in, burst);
        if (a == null) {
          return false;
        }
        checkTracked(a, tracked, burst);
        last = a;
      }
    } catch (EOFException e) {
      if (last == null
          || last.id != 0
          || (last.status != Status.FRAME_TOO_LARGE_VALUE && last.status != Status.MALFORMED_FRAME_VALUE)) {
        tally.violation(
            name + ": after a frame that breaks framing the master closed without FRAME_TOO_LARGE or MALFORMED_FRAME"
                + " for request 0 (last answer: " + last + ") after " + burst);
        return false;
      }
      tally.countClosedByMaster();
      return true;
    } catch (SocketTimeoutException e) {
      tally.violation(name + ": the master did not close within " + probeTimeoutMillis + " ms after " + burst);
    } catch (IOException e) {
      tally.violation(name + ": reading before the close failed (" + e + ") after " + burst);
    }
    return false;
  }

  private void checkTracked(Answer a, Map<Long, byte[]> tracked, List<FrameShape> burst) {
    if (a.id < HostileFrames.TRACKED_BASE) {
      return;
    }
    byte[] expected = tracked.remove(a.id);
    if (expected == null) {
      tally.violation(name + ": an answer to tracked request " + a.id + ", which has no answer due, after " + burst);
    } else if (a.status == Status.OK_VALUE) {
      if (!Arrays.equals(a.body, expected)) {
        tally.violation(name + ": echo " + a.id + " answered with other bytes (" + a.body.length + " for " + expected.length + ")");
      } else {
        tally.echoChecked();
      }
    }
  }

  private record Answer(long id, int status, byte[] body) {
    @Override
    public String toString() {
      Status s = Status.forNumber(status);
      return "request " + id + " " + (s == null ? "status " + status : s.name());
    }
  }

  /**
   * Reads and checks one answer; null after a violation.
   *
   * @throws EOFException at the end of the stream, between frames
   */
  private Answer read(DataInputStream in, List<FrameShape> burst) throws IOException {
    int n = readVarint32(in);
    if (n < 0 || n > maxFrameBytes) {
      tally.violation(name + ": an answer frame of " + Integer.toUnsignedString(n) + " bytes, above the maximum, after " + burst);
      return null;
    }
    byte[] contents = new byte[n];
    in.readFully(contents);
    try {
      CodedInputStream c = CodedInputStream.newInstance(contents);
      int h = c.readRawVarint32();
      int at = c.getTotalBytesRead();
      if (h < 0 || h > n - at) {
        tally.violation(name + ": an answer whose header length " + h + " exceeds its frame of " + n + " bytes");
        return null;
      }
      ResponseHeader header = ResponseHeader.parseFrom(CodedInputStream.newInstance(contents, at, h));
      int status = header.getStatusValue();
      tally.answered(status);
      if (Status.forNumber(status) == null) {
        tally.violation(name + ": an answer with status " + status + ", which PROTOCOL.md does not define");
        return null;
      }
      return new Answer(header.getRequestId(), status, Arrays.copyOfRange(contents, at + h, n));
    } catch (InvalidProtocolBufferException e) {
      tally.violation(name + ": an answer that is not a ResponseHeader (" + e.getMessage() + ") after " + burst);
      return null;
    }
  }

  /** A varint32 frame length; EOF only before its first byte. */
  private static int readVarint32(InputStream in) throws IOException {
    int result = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int b = in.read();
      if (b < 0) {
        if (shift == 0) {
          throw new EOFException();
        }
        throw new IOException("the stream ended inside a frame's length prefix");
      }
      result |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
    throw new IOException("a frame length prefix longer than 5 bytes");
  }
}
