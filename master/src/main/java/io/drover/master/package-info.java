/**
 * The Drover master: accepts tasks from clients over TCP, runs them on a pool of worker JVMs that
 * it spawns and supervises, and returns their results.
 *
 * <p>Start reading at {@link io.drover.master.DroverMaster}, which wires the pieces together:
 * {@link io.drover.master.transport} (sockets and frames), {@link io.drover.master.dispatch} (the
 * task table: which task is where), {@link io.drover.master.schedule} (which worker gets a task)
 * and {@link io.drover.master.supervise} (worker processes). {@link io.drover.master.config}
 * holds the validated settings and {@link io.drover.master.cli} the {@code drover} command line.
 */
package io.drover.master;
