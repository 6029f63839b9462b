package io.drover.master.internal.admin;

/**
 * What the master did in one sampling interval (about a second), for the status page's charts.
 * Latency percentiles are estimates from histogram bucket counts ({@link
 * io.drover.master.internal.dispatch.DispatchMetrics.Latencies#quantileSeconds}), NaN when no task
 * was answered in the interval or the master keeps no latency histograms.
 *
 * @param atMillis when the interval ended (milliseconds since the epoch)
 * @param seconds the interval's length
 * @param completed tasks answered to clients in the interval
 * @param waiting tasks waiting in the master for a worker at its end
 * @param inFlight tasks accepted and not yet answered at its end
 * @param workersReady workers ready at its end
 * @param runP50Seconds median run time of the tasks answered in it
 * @param runP99Seconds 99th percentile of their run time
 * @param waitP50Seconds median queue wait of the tasks first dispatched in it
 * @param waitP99Seconds 99th percentile of their queue wait
 */
record HistorySample(
    long atMillis,
    double seconds,
    long completed,
    int waiting,
    int inFlight,
    int workersReady,
    double runP50Seconds,
    double runP99Seconds,
    double waitP50Seconds,
    double waitP99Seconds) {

  /** Tasks answered per second over the interval. */
  double tasksPerSecond() {
    return seconds > 0 ? completed / seconds : 0;
  }
}
