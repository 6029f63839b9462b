/**
 * Framing: every frame on every Drover socket is an unsigned varint32 length followed by that many
 * bytes, the convention of protobuf's {@code writeDelimitedTo}. {@link
 * io.drover.protocol.frame.FrameDecoder} enforces a maximum length, unlike Netty's {@code
 * ProtobufVarint32FrameDecoder}, so it is safe on untrusted input.
 */
package io.drover.protocol.frame;
