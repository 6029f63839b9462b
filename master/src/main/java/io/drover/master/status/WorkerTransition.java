package io.drover.master.status;

import java.time.Instant;

/**
 * One change of a worker slot's state, as logged.
 *
 * @param at when it happened
 * @param nanoTime {@link System#nanoTime()} at that moment, for measuring intervals
 * @param workerId the slot
 * @param pid the process concerned
 * @param from the state before
 * @param to the state after
 * @param reason why
 */
public record WorkerTransition(
    Instant at, long nanoTime, int workerId, long pid, WorkerState from, WorkerState to, String reason) {}
