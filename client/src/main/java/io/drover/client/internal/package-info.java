/**
 * Internals of the Drover client; not public API and free to change.
 *
 * <p>Start at {@link io.drover.client.internal.ClientConnection}, the channel handler that owns one
 * connection: user threads take room from its {@link io.drover.client.internal.InFlightLimit} and
 * hand it {@link io.drover.client.internal.PendingTask}s through a multi-producer queue that one
 * drain task on the channel's event loop empties (gRPC's {@code WriteQueue} pattern), encoding
 * them into shared {@link io.drover.client.internal.ClientWriteBatch} buffers; responses are
 * matched to tasks by request id in a map only the event loop touches, so nothing on the hot path
 * takes a lock.
 */
package io.drover.client.internal;
