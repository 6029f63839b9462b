/**
 * Allocation-free readers and writers for the protobuf headers at the front of each frame.
 *
 * <p>Each frame's bytes are {@code varint32 H, H bytes of header, body}. The header is a protobuf
 * message defined in {@code src/main/proto}; the codecs here read and write exactly the protobuf
 * wire format of those messages (unknown fields are skipped, so newer peers stay compatible) but
 * straight from and into a {@link io.netty.buffer.ByteBuf}, with no intermediate objects, because
 * they run once per task on the master's hot path. Property tests check them against the
 * generated classes.
 *
 * <p>Decoders are mutable and meant to be reused by one thread; encoders are static.
 */
package io.drover.protocol.wire;
