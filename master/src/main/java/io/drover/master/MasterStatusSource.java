package io.drover.master;

import io.drover.master.config.MasterConfig;
import io.drover.master.internal.admin.StatusSnapshot;
import io.drover.master.internal.admin.StatusSource;
import io.drover.master.internal.dispatch.DispatchStatus;
import io.drover.master.internal.dispatch.DispatchMetrics;
import io.drover.master.internal.dispatch.Dispatcher;
import io.drover.master.internal.metrics.MasterMetrics;
import io.drover.master.internal.supervise.SupervisorMetrics;
import io.drover.master.internal.transport.ClientTraffic;
import io.drover.master.internal.transport.MasterServer;
import io.drover.master.internal.supervise.WorkerSlotStatus;
import io.drover.master.internal.supervise.WorkerSupervisor;
import io.drover.master.status.WorkerTransition;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The admin endpoint's view of a master: asks the dispatch loop and the supervisor thread for
 * their snapshots, for status or for metrics (each on its own thread, with an {@code execute}),
 * and joins them.
 */
final class MasterStatusSource implements StatusSource {
  private final MasterConfig config;
  /** The settings the master runs with now (a reload changes them). */
  private volatile java.util.function.Supplier<MasterConfig> running;
  private final String transport;
  private final Dispatcher dispatcher;
  private final WorkerSupervisor supervisor;
  private final AtomicBoolean closing;
  private final MasterServer server;
  private final Instant startedAt = Instant.now();
  private final long startedAtNanos = System.nanoTime();
  private final long pid = ProcessHandle.current().pid();
  private volatile String clientAddress = "";
  private volatile String workerSocket = "";
  private volatile String adminAddress = "";

  MasterStatusSource(
      MasterConfig config,
      String transport,
      Dispatcher dispatcher,
      WorkerSupervisor supervisor,
      MasterServer server,
      AtomicBoolean closing) {
    this.config = config;
    this.running = () -> config;
    this.transport = transport;
    this.dispatcher = dispatcher;
    this.supervisor = supervisor;
    this.closing = closing;
    this.server = server;
  }

  /** Reloads, rolling restarts and autoscaling, once the master has started. */
  private volatile java.util.function.Supplier<io.drover.master.status.ControlStatus> control = () -> null;

  /** Where status finds how the master was changed, once it has started. */
  void control(java.util.function.Supplier<io.drover.master.status.ControlStatus> control) {
    this.control = control;
  }

  /** Where the settings the master runs with now come from, once it has started. */
  void running(java.util.function.Supplier<MasterConfig> running) {
    this.running = running;
  }

  /** Where the master listens, once it is bound. */
  void addresses(String clients, String workers, String admin) {
    this.clientAddress = clients;
    this.workerSocket = workers;
    this.adminAddress = admin;
  }

  @Override
  public CompletableFuture<StatusSnapshot> snapshot() {
    CompletableFuture<DispatchStatus> dispatch;
    try {
      dispatch = CompletableFuture.supplyAsync(dispatcher::status, dispatcher.loop());
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new IllegalStateException("the dispatch loop has stopped", e));
    }
    CompletableFuture<List<WorkerSlotStatus>> slots =
        config.inline() ? CompletableFuture.completedFuture(List.of()) : supervisor.slotStatuses();
    CompletableFuture<List<WorkerTransition>> transitions =
        config.inline()
            ? CompletableFuture.completedFuture(List.of())
            : supervisor.recentTransitions(StatusSnapshot.MAX_TRANSITIONS);
    CompletableFuture<io.drover.master.internal.transport.ConnectionStats> connections = server.clientConnections();
    return dispatch
        .thenCombine(slots.thenCombine(transitions, Supervised::new), (d, s) -> new StatusSnapshot(master(), s.slots(), d, s.transitions()))
        .thenCombine(connections, StatusSnapshot::withConnections);
  }

  /** What the supervisor thread answered. */
  private record Supervised(List<WorkerSlotStatus> slots, List<WorkerTransition> transitions) {}

  @Override
  public CompletableFuture<MasterMetrics> metrics() {
    CompletableFuture<DispatchMetrics> dispatch = dispatcher.metrics();
    CompletableFuture<SupervisorMetrics> slots =
        config.inline() ? CompletableFuture.completedFuture(null) : supervisor.metrics();
    CompletableFuture<ClientTraffic.Totals> traffic = server.clientTraffic();
    CompletableFuture<io.drover.master.internal.transport.ConnectionStats> connections = server.clientConnections();
    return CompletableFuture.allOf(dispatch, slots, traffic, connections)
        .thenApply(done -> new MasterMetrics(dispatch.join(), slots.join(), traffic.join(), control.get()).withConnections(connections.join()));
  }

  private StatusSnapshot.MasterInfo master() {
    String version = DroverMaster.class.getPackage().getImplementationVersion();
    return new StatusSnapshot.MasterInfo(
        pid,
        version == null ? "development build" : version,
        startedAt,
        System.nanoTime() - startedAtNanos,
        closing.get(),
        running.get().scheduler().settingName(),
        transport.toLowerCase(Locale.ROOT),
        config.inline(),
        clientAddress,
        workerSocket,
        adminAddress,
        supervisor == null ? config.workers() : supervisor.poolSize(),
        control.get());
  }
}
