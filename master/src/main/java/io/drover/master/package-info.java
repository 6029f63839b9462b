/**
 * The Drover master: accepts tasks from clients over TCP, runs them on a pool of worker JVMs that
 * it spawns and supervises, and returns their results.
 *
 * <p>Start reading at {@link io.drover.master.DroverMaster}, which wires the pieces together:
 * {@link io.drover.master.internal.transport} (sockets and frames), {@link io.drover.master.internal.dispatch} (the
 * task table: which task is where), {@link io.drover.master.internal.schedule} (which worker gets a task)
 * and {@link io.drover.master.internal.supervise} (worker processes). {@link io.drover.master.config}
 * holds the validated settings, {@link io.drover.master.cli} the {@code drover} command line and
 * {@link io.drover.master.internal.logging} the logging that cannot stall the event loop.
 *
 * <p>The API an embedder may rely on is this package, {@link io.drover.master.config} and {@link
 * io.drover.master.status}. Everything under {@code io.drover.master.internal} is public only so
 * that its packages can reach one another, and may change in any release.
 */
package io.drover.master;
