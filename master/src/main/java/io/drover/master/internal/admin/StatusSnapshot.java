package io.drover.master.internal.admin;

import io.drover.master.internal.dispatch.DispatchStatus;
import io.drover.master.internal.supervise.WorkerSlotStatus;
import io.drover.master.status.WorkerState;
import io.drover.master.status.WorkerTransition;
import java.time.Instant;
import java.util.List;

/**
 * The master's state at one moment, as the admin endpoint renders it. Immutable.
 *
 * @param master the master process itself
 * @param slots every worker slot, as the supervisor sees it (empty in inline mode)
 * @param dispatch tasks, workers, clients and jobs, as the dispatcher sees them
 * @param transitions the slots' most recent state changes, oldest first (at most {@link
 *     #MAX_TRANSITIONS}; empty in inline mode)
 * @param connections the client port's connections: open, refused and closed by its limits
 */
public record StatusSnapshot(
    MasterInfo master,
    List<WorkerSlotStatus> slots,
    DispatchStatus dispatch,
    List<WorkerTransition> transitions,
    io.drover.master.internal.transport.ConnectionStats connections) {
  /** Most transitions a snapshot carries: enough for the status page's list, small enough to poll. */
  public static final int MAX_TRANSITIONS = 50;

  /** A snapshot without connection counts. */
  public StatusSnapshot(MasterInfo master, List<WorkerSlotStatus> slots, DispatchStatus dispatch, List<WorkerTransition> transitions) {
    this(master, slots, dispatch, transitions, io.drover.master.internal.transport.ConnectionStats.NONE);
  }

  /** This snapshot with {@code c} as its connection counts. */
  public StatusSnapshot withConnections(io.drover.master.internal.transport.ConnectionStats c) {
    return new StatusSnapshot(master, slots, dispatch, transitions, c);
  }

  /** A snapshot without transitions. */
  public StatusSnapshot(MasterInfo master, List<WorkerSlotStatus> slots, DispatchStatus dispatch) {
    this(master, slots, dispatch, List.of());
  }

  /**
   * The master process.
   *
   * @param pid its process id
   * @param version Drover's version
   * @param startedAt when it started
   * @param uptimeNanos how long it has been up
   * @param shuttingDown whether it is shutting down
   * @param scheduler the scheduler's setting name
   * @param transport the transport's name (epoll, nio)
   * @param inline whether the handlers run inside the master
   * @param clientAddress where clients connect
   * @param workerSocket where workers connect
   * @param adminAddress where the admin endpoint listens
   * @param workersConfigured the worker slots configured
   * @param control reloads, rolling restarts and autoscaling; null for an inline master
   */
  public record MasterInfo(
      long pid,
      String version,
      Instant startedAt,
      long uptimeNanos,
      boolean shuttingDown,
      String scheduler,
      String transport,
      boolean inline,
      String clientAddress,
      String workerSocket,
      String adminAddress,
      int workersConfigured,
      io.drover.master.status.ControlStatus control) {}

  /** Whether the master is shutting down, by its own word or its dispatcher's. */
  public boolean shuttingDown() {
    return master.shuttingDown() || dispatch.shuttingDown();
  }

  /** Workers that take tasks now: READY slots, or in inline mode the accepting inline worker. */
  public int readyWorkers() {
    if (master.inline()) {
      return (int) dispatch.workers().stream().filter(DispatchStatus.WorkerLoad::accepting).count();
    }
    return (int) slots.stream().filter(s -> s.state() == WorkerState.READY).count();
  }

  /** Null when ready for traffic (some worker ready, not shutting down), else why not. */
  public String notReadyReason() {
    if (shuttingDown()) {
      return "the master is shutting down";
    }
    if (readyWorkers() == 0) {
      StringBuilder states = new StringBuilder();
      for (WorkerSlotStatus s : slots) {
        states.append(states.length() == 0 ? "" : ", ").append(s.id()).append(' ').append(s.state());
      }
      return "no worker is ready" + (states.length() == 0 ? "" : " (" + states + ")");
    }
    return null;
  }
}
