/**
 * The Drover master: accepts tasks from clients over TCP, runs them on a pool of worker JVMs that
 * it spawns and supervises, and returns their results.
 *
 * <p>Start reading at {@link io.drover.master.DroverMaster}, which wires the pieces together:
 * {@link io.drover.master.transport} (sockets and frames), {@link io.drover.master.dispatch} (the
 * task table: which task is where), {@link io.drover.master.schedule} (which worker gets a task)
 * and {@link io.drover.master.supervise} (worker processes). {@link io.drover.master.config}
 * holds the validated settings, {@link io.drover.master.cli} the {@code drover} command line and
 * {@link io.drover.master.logging} the logging that cannot stall the event loop.
 */
package io.drover.master;
