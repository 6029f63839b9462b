/**
 * The asynchronous Java client of a Drover master.
 *
 * <p>Start reading at {@link io.drover.client.DroverClient}: build one with {@link
 * io.drover.client.DroverClient#builder()} (or {@link io.drover.client.DroverClient#connect(String,
 * int)}), then {@link io.drover.client.DroverClient#submit(String, byte[])} tasks from any thread;
 * each returns a {@link java.util.concurrent.CompletableFuture} that completes with the task's
 * result or with a {@link io.drover.client.DroverTaskException} (the master's {@link
 * io.drover.client.TaskStatus}), a {@link io.drover.client.DroverConnectionException} (the
 * connection went away) or a {@link io.drover.client.DroverBackpressureException} (the client
 * already had {@link io.drover.client.DroverClientBuilder#maxInFlight(int)} requests in flight).
 * Per-task options (deadline, priority, routing key, no-retry) are a {@link
 * io.drover.client.TaskOptions}. Many clients can share I/O threads: {@link
 * io.drover.client.ClientEventLoops}.
 *
 * <p>Scatter/gather: build a {@link io.drover.client.Job} of subtasks (and optionally a reduce
 * type) and {@link io.drover.client.DroverClient#submitJob(io.drover.client.Job)} it; the future
 * completes with a {@link io.drover.client.JobOutcome} holding one {@link
 * io.drover.client.SubtaskOutcome} per subtask, in order, and a {@link
 * io.drover.client.SubtaskListener} can receive each one as soon as it completes.
 *
 * <p>Signatures here name only JDK types and this package's own: no generated protobuf class and
 * no Netty type, so applications need not match the versions the client uses inside.
 * The implementation lives in {@code io.drover.client.internal}, which is not public API.
 */
package io.drover.client;
