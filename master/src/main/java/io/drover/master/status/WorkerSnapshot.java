package io.drover.master.status;

import java.util.List;

/**
 * A worker as the dispatcher sees it at one moment.
 *
 * @param workerId the worker's slot
 * @param pid its process id
 * @param capacity tasks it runs at once
 * @param outstanding tasks sent to it and not yet answered
 * @param inFlightLimit the most tasks the master lets it hold now: its adaptive limit, or the
 *     fixed cap
 * @param completed results it has returned so far
 * @param taskTypes the types it serves
 */
public record WorkerSnapshot(
    int workerId, long pid, int capacity, int outstanding, int inFlightLimit, long completed, List<String> taskTypes) {}
