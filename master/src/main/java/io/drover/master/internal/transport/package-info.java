/**
 * Sockets and frames: the TCP server for clients, the Unix domain socket server for workers, and
 * the batched writers that turn many small frames into few syscalls.
 *
 * <p>{@link io.drover.master.internal.transport.MasterServer} binds both servers on one event loop group;
 * {@link io.drover.master.internal.transport.ClientFrameHandler} and {@link
 * io.drover.master.internal.transport.WorkerFrameHandler} decode one header per frame and hand the frame
 * to {@link io.drover.master.internal.dispatch.Dispatcher}. Writes go through {@link
 * io.drover.master.internal.transport.OutboundBatch}, flushed once per event-loop turn by {@link
 * io.drover.master.internal.transport.BatchFlusher}.
 */
package io.drover.master.internal.transport;
