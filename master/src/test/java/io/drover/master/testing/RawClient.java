package io.drover.master.testing;

import io.drover.protocol.wire.ProtoWire;
import io.drover.protocol.wire.RequestHeaderCodec;
import io.drover.protocol.wire.ResponseHeaderCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A blocking TCP connection that speaks the client protocol byte by byte, so tests can send what
 * no well-behaved client would.
 */
public final class RawClient implements AutoCloseable {
  /**
   * One decoded response.
   *
   * @param requestId the request it answers (0 for connection errors)
   * @param status the status number
   * @param message the message
   * @param attempts the attempt count
   * @param body the body bytes
   */
  public record Response(long requestId, int status, String message, int attempts, byte[] body) {}

  private final Socket socket;
  private final DataInputStream in;
  private long bytesRead;

  /** Connects to {@code address} with a 30-second read timeout. */
  public RawClient(InetSocketAddress address) throws IOException {
    this(address, null);
  }

  /**
   * Connects to {@code address} from {@code local} (another loopback address, so that the master
   * sees another peer; null for any) with a 30-second read timeout.
   */
  public RawClient(InetSocketAddress address, java.net.InetAddress local) throws IOException {
    socket = local == null ? new Socket(address.getAddress(), address.getPort()) : new Socket(address.getAddress(), address.getPort(), local, 0);
    socket.setSoTimeout(30_000);
    socket.setTcpNoDelay(true);
    in = new DataInputStream(socket.getInputStream());
  }

  /** The underlying socket, for tests that stream requests from another thread. */
  public Socket socket() {
    return socket;
  }

  /** Writes raw bytes. */
  public void write(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
  }

  /** Writes a well-formed SUBMIT. */
  public void submit(long requestId, String type, byte[] payload) throws IOException {
    byte[] t = type.getBytes(StandardCharsets.UTF_8);
    ByteBuf out = Unpooled.buffer();
    RequestHeaderCodec.writeFrame(out, RequestHeaderCodec.KIND_SUBMIT, requestId, t, payload);
    write(ByteBufUtil.getBytes(out));
  }

  /** Writes a JOB request whose body is {@code jobRequest}, valid or not. */
  public void job(long requestId, String defaultType, byte[] jobRequest) throws IOException {
    ByteBuf out = Unpooled.buffer();
    RequestHeaderCodec.writeFrame(
        out, RequestHeaderCodec.KIND_JOB, requestId, defaultType.getBytes(StandardCharsets.UTF_8), jobRequest);
    write(ByteBufUtil.getBytes(out));
  }

  /** Writes a frame whose bytes (after the length prefix) are {@code body}. */
  public void frame(byte[] body) throws IOException {
    ByteBuf out = Unpooled.buffer();
    ProtoWire.writeVarint32(out, body.length);
    out.writeBytes(body);
    write(ByteBufUtil.getBytes(out));
  }

  /** Reads the next response frame. */
  public Response read() throws IOException {
    int length = readVarint32(in);
    byte[] frame = new byte[length];
    in.readFully(frame);
    bytesRead += ProtoWire.varint32Size(length) + length;
    ByteBuf buf = Unpooled.wrappedBuffer(frame);
    ResponseHeaderCodec h = new ResponseHeaderCodec();
    h.decode(buf);
    return new Response(h.requestId(), h.status(), h.message(buf), h.attempts(), ByteBufUtil.getBytes(buf));
  }

  /** Bytes of the response frames read so far, length prefixes included. */
  public long bytesRead() {
    return bytesRead;
  }

  /** Whether the peer has closed the connection (reads to end of stream). */
  public boolean closedByPeer() throws IOException {
    try {
      return in.read() == -1;
    } catch (java.net.SocketException e) {
      return true;
    }
  }

  private static int readVarint32(InputStream in) throws IOException {
    int result = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed");
      }
      result |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
    throw new IOException("bad varint");
  }

  /** Encodes {@code value} as a varint (for hand-built frames). */
  public static byte[] varint(long value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while ((value & ~0x7FL) != 0) {
      out.write((int) (value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out.write((int) value);
    return out.toByteArray();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
