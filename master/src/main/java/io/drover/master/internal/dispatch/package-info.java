/**
 * The task table: every accepted task, where it is (queued in the master or in flight on a
 * worker), and where its result goes.
 *
 * <p>{@link io.drover.master.internal.dispatch.Dispatcher} owns all of it and runs on the one event loop
 * that also serves every client and worker connection, so nothing here is locked. A task's
 * payload is the client's frame itself, retained until the task completes so that it can be
 * re-sent if a worker dies; it is never parsed or re-encoded.
 */
package io.drover.master.internal.dispatch;
