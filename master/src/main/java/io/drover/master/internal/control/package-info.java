/**
 * Changes to a running master: reloading its settings ({@link
 * io.drover.master.internal.control.Reconfiguration}), each change applied by the thread that owns
 * what it changes (the dispatch loop for scheduling and limits, the supervisor thread for the pool
 * and its workers), beside the task path.
 */
package io.drover.master.internal.control;
