/**
 * The {@code drover} command line (picocli): {@code master} runs the server in the foreground,
 * {@code submit} sends tasks and prints their results or a summary, {@code status} shows a running
 * master's workers, tasks and clients from its admin endpoint. {@link
 * io.drover.master.cli.DroverCli} is the main class of the runnable jar.
 */
package io.drover.master.cli;
