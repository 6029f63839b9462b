package io.drover.protocol.wire;

import com.google.protobuf.Message;
import io.netty.buffer.ByteBuf;

/**
 * Puts one hand-written header codec behind a common face so that the same properties can check
 * every codec against its generated protobuf class. Fields cross the boundary as instances of the
 * generated message, which makes "same fields" a plain {@code equals}.
 */
interface HeaderCodecAdapter<M extends Message> {
  /** Name shown in test reports. */
  String name();

  /** The generated message's default instance (its parser and descriptor). */
  M defaultInstance();

  /** Runs only the codec's decoder on {@code frame} (the bytes after the outer length). */
  void decodeOnly(ByteBuf frame);

  /** Decodes {@code frame} with the codec and returns the decoded fields as a generated message. */
  M decode(ByteBuf frame);

  /** Writes a whole frame, outer length included, with the codec. */
  void encode(ByteBuf out, M header, byte[] body);

  /**
   * What the codec decodes from a header protobuf parses as {@code parsed}: the same fields,
   * unless the codec drops a value on purpose (a malformed traceparent).
   */
  default M asDecoded(M parsed) {
    return parsed;
  }

  /** The codec's own prediction of {@link #encode}'s size. */
  int frameSize(M header, int bodyBytes);
}
