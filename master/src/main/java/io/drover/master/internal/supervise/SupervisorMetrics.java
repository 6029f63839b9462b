package io.drover.master.internal.supervise;

import io.drover.master.status.WorkerState;
import java.util.List;

/**
 * A copy of the supervisor's counts at one moment, for the metrics.
 *
 * @param slotStates the state of each worker slot, slot 1 first
 * @param restarts restarts since the start, indexed by {@link RestartReason#ordinal()}
 */
public record SupervisorMetrics(List<WorkerState> slotStates, long[] restarts) {}
