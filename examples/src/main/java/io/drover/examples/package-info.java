/**
 * Task handlers bundled with Drover and packaged as the default worker jar ({@code
 * drover-examples.jar}): {@link io.drover.examples.EchoHandler}, {@link
 * io.drover.examples.Sha256Handler}, {@link io.drover.examples.SleepHandler}, and the word-count job
 * pair {@link io.drover.examples.WordCountHandler} (map) and {@link io.drover.examples.SumHandler}
 * (a reduce step, reading the job's gathered {@code JobResult}). They are listed in
 * {@code META-INF/services/io.drover.worker.TaskHandler}, which is how a worker finds them; copy
 * that pattern for your own handlers.
 */
package io.drover.examples;
