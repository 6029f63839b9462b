/**
 * Task handlers bundled with Drover and packaged as the default worker jar ({@code
 * drover-examples.jar}): {@link io.drover.examples.EchoHandler}, {@link
 * io.drover.examples.Sha256Handler} and {@link io.drover.examples.SleepHandler}. They are listed in
 * {@code META-INF/services/io.drover.worker.TaskHandler}, which is how a worker finds them; copy
 * that pattern for your own handlers.
 */
package io.drover.examples;
