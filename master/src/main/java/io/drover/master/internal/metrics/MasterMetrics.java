package io.drover.master.internal.metrics;

import io.drover.master.internal.dispatch.DispatchMetrics;
import io.drover.master.internal.supervise.SupervisorMetrics;
import io.drover.master.internal.transport.ClientTraffic;

/**
 * What one scrape shows of a master: copies of the counters, each taken on the thread that owns
 * them. Immutable.
 *
 * @param dispatch the dispatcher's, taken on the dispatch loop
 * @param supervisor the supervisor's, taken on its thread; null when there is none (inline mode):
 *     the worker-slot and restart metrics are then left out
 * @param clientTraffic frames and bytes to and from clients, taken on the loop that serves them
 * @param control reloads, pool size and autoscaling; null for an inline master
 * @param connections the client port's connections refused and closed by its limits
 */
public record MasterMetrics(
    DispatchMetrics dispatch,
    SupervisorMetrics supervisor,
    ClientTraffic.Totals clientTraffic,
    io.drover.master.status.ControlStatus control,
    io.drover.master.internal.transport.ConnectionStats connections) {
  /** Metrics without connection counts. */
  public MasterMetrics(
      DispatchMetrics dispatch, SupervisorMetrics supervisor, ClientTraffic.Totals clientTraffic, io.drover.master.status.ControlStatus control) {
    this(dispatch, supervisor, clientTraffic, control, io.drover.master.internal.transport.ConnectionStats.NONE);
  }

  /** These metrics with {@code c} as the connection counts. */
  public MasterMetrics withConnections(io.drover.master.internal.transport.ConnectionStats c) {
    return new MasterMetrics(dispatch, supervisor, clientTraffic, control, c);
  }

  /** Checks that the dispatcher's and the transport's copies are there. */
  public MasterMetrics {
    java.util.Objects.requireNonNull(dispatch, "dispatch");
    java.util.Objects.requireNonNull(clientTraffic, "clientTraffic");
    java.util.Objects.requireNonNull(connections, "connections");
  }
}
