/**
 * {@code drover bench-jobs}: a closed-loop load of scatter/gather jobs through the Java client,
 * measuring subtasks per second and whole-job latency.
 */
package io.drover.bench.jobs;
