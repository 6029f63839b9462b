/**
 * Drover's worker runtime: the library a worker process embeds to run tasks for the master.
 *
 * <p>Start with {@link io.drover.worker.TaskHandler}, the interface users implement. {@link
 * io.drover.worker.WorkerMain} is the process the master launches: it finds handlers with {@link
 * java.util.ServiceLoader}, connects to the socket named by {@code DROVER_WORKER_SOCKET} and runs
 * until the master drains it or goes away. For a {@code main} of your own, build a {@link
 * io.drover.worker.DroverWorker} with {@link io.drover.worker.DroverWorker#builder()} and call
 * {@link io.drover.worker.DroverWorker#run()}, which handles signals as {@code WorkerMain} does.
 */
package io.drover.worker;
