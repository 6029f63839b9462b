/**
 * Worker processes: the private runtime directory and its socket, spawning worker JVMs, checking
 * that whoever connects to the worker socket is one of them, capturing their output, and noticing
 * when they exit.
 *
 * <p>{@link io.drover.master.internal.supervise.WorkerSupervisor} owns every slot's state on its own
 * single thread; the dispatch loop reaches it only through {@code execute} and a concurrent map of
 * spawned processes ({@code SpawnedWorker}). Its heartbeat watchdog
 * asks the dispatch loop, through {@code LoopProbe}, whether the master
 * could hear its workers before it judges their silence.
 */
package io.drover.master.internal.supervise;
