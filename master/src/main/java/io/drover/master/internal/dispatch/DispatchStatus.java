package io.drover.master.internal.dispatch;

import io.drover.protocol.proto.Heartbeat;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dispatcher's state at one moment, copied on the dispatch loop for the admin endpoint, which
 * renders it on its own thread. Immutable.
 *
 * @param shuttingDown new tasks are refused with SHUTTING_DOWN
 * @param submitted SUBMIT requests received, whatever became of them (accepted or refused at once)
 * @param answeredByStatus task answers sent to clients, by status name (those that occurred)
 * @param dropped accepted tasks never answered because their client disconnected first
 * @param inProgress tasks accepted and not yet answered, queued or on a worker
 * @param queued tasks waiting in the master for a worker
 * @param queuedBytes payload bytes of the waiting tasks
 * @param waitingByPriority waiting tasks by priority (high, normal, low)
 * @param waitingByType waiting tasks by task type, types with none left out
 * @param workers the registered workers
 * @param clients the open client connections, oldest first
 * @param jobsInProgress jobs accepted and not yet answered
 * @param tenants the tenants' counters
 */
public record DispatchStatus(
    boolean shuttingDown,
    long submitted,
    Map<String, Long> answeredByStatus,
    long dropped,
    int inProgress,
    int queued,
    long queuedBytes,
    Map<String, Integer> waitingByPriority,
    Map<String, Integer> waitingByType,
    List<WorkerLoad> workers,
    List<ClientLoad> clients,
    int jobsInProgress,
    TenantsSnapshot tenants) {

  /**
   * A registered worker as the dispatcher sees it.
   *
   * @param workerId its slot
   * @param pid its process id
   * @param capacity tasks it runs at once
   * @param inFlight tasks sent to it and not yet answered
   * @param inFlightLimit the most tasks it may hold now (its adaptive limit, or the fixed cap)
   * @param completed results it returned
   * @param failed results it returned with a status other than OK
   * @param accepting whether it takes new tasks (false once draining)
   * @param heartbeat its last heartbeat's figures, null before the first
   * @param taskTypes the types it serves
   */
  public record WorkerLoad(
      int workerId,
      long pid,
      int capacity,
      int inFlight,
      int inFlightLimit,
      long completed,
      long failed,
      boolean accepting,
      HeartbeatFigures heartbeat,
      List<String> taskTypes) {}

  /**
   * What a worker's last heartbeat said.
   *
   * @param cpuLoad its CPU use as a fraction of all cores (0..1)
   * @param rssBytes its resident set size (0 where unknown)
   * @param heapUsedBytes heap in use
   * @param heapMaxBytes the maximum heap
   */
  public record HeartbeatFigures(double cpuLoad, long rssBytes, long heapUsedBytes, long heapMaxBytes) {}

  /**
   * One client connection.
   *
   * @param remoteAddress where it comes from
   * @param inFlight its tasks accepted and not yet answered
   * @param pausedReason why the master stopped reading it, or null when it reads
   * @param jobs its jobs in progress
   */
  public record ClientLoad(String remoteAddress, int inFlight, String pausedReason, int jobs) {}

  static DispatchStatus of(Admission admission, WorkerPool pool, ClientPort clientPort) {
    Collection<ClientSession> sessions = clientPort.sessions();
    int[] byPriority = new int[3];
    Map<String, Integer> byType = new LinkedHashMap<>();
    for (TaskType type : pool.types()) {
      if (!type.waiting.isEmpty()) {
        byType.put(type.name, type.waiting.size());
      }
      for (int p = 0; p < byPriority.length; p++) {
        byPriority[p] += type.waiting.size(p);
      }
    }
    Map<String, Integer> priorities = new LinkedHashMap<>();
    priorities.put("high", byPriority[WaitingTasks.HIGH]);
    priorities.put("normal", byPriority[WaitingTasks.NORMAL]);
    priorities.put("low", byPriority[WaitingTasks.LOW]);
    TaskTotals totals = new TaskTotals(pool.typeStats(), clientPort.refused);
    List<WorkerLoad> workers = new ArrayList<>();
    int onWorkers = 0;
    for (WorkerSession w : pool.all()) {
      onWorkers += w.outstanding();
      workers.add(workerLoad(w));
    }
    List<ClientLoad> clients = new ArrayList<>(sessions.size());
    int jobs = 0;
    for (ClientSession c : sessions) {
      jobs += c.jobs.size();
      String paused =
          c.pausedForQueue ? "queue full"
              : c.pausedForInFlight ? "in-flight limit"
              : c.tenant != null && c.tenant.paused ? "tenant in-flight limit" : null;
      clients.add(new ClientLoad(String.valueOf(c.channel.remoteAddress()), c.inFlight, paused, c.jobs.size()));
    }
    return new DispatchStatus(
        admission.isShuttingDown(),
        totals.submitted,
        totals.answeredByStatus(),
        totals.dropped,
        admission.queued() + onWorkers,
        admission.queued(),
        admission.queuedBytes(),
        priorities,
        byType,
        List.copyOf(workers),
        List.copyOf(clients),
        jobs,
        TenantsSnapshot.of(clientPort.tenants));
  }

  private static WorkerLoad workerLoad(WorkerSession w) {
    Heartbeat h = w.lastHeartbeat;
    HeartbeatFigures figures =
        h == null ? null : new HeartbeatFigures(h.getCpuLoad(), h.getRssBytes(), h.getHeapUsedBytes(), h.getHeapMaxBytes());
    List<String> types = new ArrayList<>(w.types.length);
    for (TaskType t : w.types) {
      types.add(t.name);
    }
    return new WorkerLoad(w.workerId, w.pid, w.capacity, w.outstanding(), w.inFlightCap, w.completed, w.failed, w.accepting, figures, List.copyOf(types));
  }

  /**
   * The per-type counters summed, with the tasks refused before they had a type: what the task
   * path counts once ({@link TaskStats}), added up here, on the dispatch loop, for status.
   */
  private static final class TaskTotals {
    long submitted;
    long dropped;
    final long[] answered = new long[TaskStats.STATUS_SLOTS];

    TaskTotals(List<TaskStats> types, long[] refused) {
      for (TaskStats s : types) {
        submitted += s.submitted;
        dropped += s.dropped;
        for (int i = 0; i < answered.length; i++) {
          answered[i] += s.completed[i];
        }
      }
      for (int i = 0; i < answered.length; i++) {
        submitted += refused[i];
        answered[i] += refused[i];
      }
    }

    Map<String, Long> answeredByStatus() {
      Map<String, Long> byStatus = new LinkedHashMap<>();
      for (int i = 0; i < answered.length; i++) {
        if (answered[i] != 0) {
          byStatus.put(DispatchMetrics.statusName(i), answered[i]);
        }
      }
      return byStatus;
    }
  }
}
