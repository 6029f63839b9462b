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
    this.transport = transport;
    this.dispatcher = dispatcher;
    this.supervisor = supervisor;
    this.closing = closing;
    this.server = server;
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
    return dispatch.thenCombine(slots, (d, s) -> new StatusSnapshot(master(), s, d));
  }

  @Override
  public CompletableFuture<MasterMetrics> metrics() {
    CompletableFuture<DispatchMetrics> dispatch = dispatcher.metrics();
    CompletableFuture<SupervisorMetrics> slots =
        config.inline() ? CompletableFuture.completedFuture(null) : supervisor.metrics();
    CompletableFuture<ClientTraffic.Totals> traffic = server.clientTraffic();
    return CompletableFuture.allOf(dispatch, slots, traffic)
        .thenApply(done -> new MasterMetrics(dispatch.join(), slots.join(), traffic.join()));
  }

  private StatusSnapshot.MasterInfo master() {
    String version = DroverMaster.class.getPackage().getImplementationVersion();
    return new StatusSnapshot.MasterInfo(
        pid,
        version == null ? "development build" : version,
        startedAt,
        System.nanoTime() - startedAtNanos,
        closing.get(),
        config.scheduler().settingName(),
        transport.toLowerCase(Locale.ROOT),
        config.inline(),
        clientAddress,
        workerSocket,
        adminAddress,
        config.workers());
  }
}
