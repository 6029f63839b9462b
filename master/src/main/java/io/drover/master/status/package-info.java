/**
 * What a running master reports about its workers: {@link io.drover.master.status.WorkerSnapshot}
 * (as the dispatcher sees a registered worker), {@link io.drover.master.status.WorkerState} and
 * {@link io.drover.master.status.WorkerTransition} (a worker slot's life, as the supervisor logs
 * it). Immutable values, returned by {@link io.drover.master.DroverMaster}.
 */
package io.drover.master.status;
