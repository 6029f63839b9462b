/**
 * The bare relay behind {@code scripts/drover baseline-relay}: the upper bound of Drover's
 * architecture on a machine. Start reading at {@link io.drover.bench.relay.BaselineRelay}.
 *
 * <p>It forwards varint32-framed frames from TCP clients to N {@link
 * io.drover.bench.relay.EchoBackend} processes over Unix domain sockets and the echoed frames back,
 * with no task semantics: each backend answers in order, so a FIFO of client connections per
 * backend routes every reply ({@link io.drover.bench.relay.RelayBackend}). Everything runs on one
 * epoll event loop with the pooled allocator; frames are copied into one combined buffer per
 * destination per read batch ({@link io.drover.bench.relay.FrameBatch}) and flushed once ({@link
 * io.drover.bench.relay.FlushList}).
 */
package io.drover.bench.relay;
