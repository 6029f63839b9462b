/**
 * Drover's wire protocol, shared by the master, the worker runtime and clients.
 *
 * <p>Start with {@link io.drover.protocol.frame.FrameDecoder}, which splits a byte stream into
 * frames (varint32 length, then that many bytes), then the header codecs in {@link
 * io.drover.protocol.wire}, which read and write the small protobuf header at the front of each
 * frame without allocating. The {@code .proto} files under {@code src/main/proto} are the
 * normative definition; the generated classes live in {@code io.drover.protocol.proto}.
 * {@code docs/PROTOCOL.md} describes every byte.
 */
package io.drover.protocol;
