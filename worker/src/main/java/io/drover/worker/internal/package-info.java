/**
 * The worker runtime's implementation; not a public API and free to change.
 *
 * <p>Start with {@link io.drover.worker.internal.WorkerRuntime}, which owns the event loop, the
 * handler thread pool and the connection to the master. {@link
 * io.drover.worker.internal.MasterConnection} is the connection's channel handler: it sends the
 * REGISTER frame, decodes TASK and DRAIN commands and hands tasks to the pool as {@link
 * io.drover.worker.internal.TaskRun}s. Finished tasks come back through {@link
 * io.drover.worker.internal.ResultWriter}, one lock-free queue drained by a single task on the
 * event loop that batches many results into one buffer and one flush.
 */
package io.drover.worker.internal;
