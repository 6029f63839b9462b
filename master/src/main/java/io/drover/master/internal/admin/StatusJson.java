package io.drover.master.internal.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drover.master.internal.dispatch.DispatchStatus;
import io.drover.master.internal.dispatch.DispatchStatus.ClientLoad;
import io.drover.master.internal.dispatch.DispatchStatus.WorkerLoad;
import io.drover.master.internal.supervise.WorkerSlotStatus;
import io.drover.master.status.WorkerTransition;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a {@link StatusSnapshot} as the JSON of {@code GET /status}. Its shape is a contract
 * (docs/OPERATIONS.md, "Admin endpoint", lists every field; scripts rely on it): add fields, never
 * rename or remove one.
 */
final class StatusJson {
  /** Most client connections listed one by one; {@code clients.connections} counts them all. */
  static final int MAX_CLIENTS_LISTED = 1000;

  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private StatusJson() {}

  static byte[] render(StatusSnapshot s) {
    ObjectNode root = MAPPER.createObjectNode();
    root.set("master", master(s));
    root.set("workers", workers(s));
    root.set("tasks", tasks(s.dispatch()));
    root.set("clients", clients(s.dispatch()));
    root.set("connections", connections(s.connections()));
    root.putObject("jobs").put("inProgress", s.dispatch().jobsInProgress());
    root.set("tenants", TenantsJson.of(s.dispatch().tenants()));
    root.set("transitions", transitions(s));
    try {
      return (MAPPER.writeValueAsString(root) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render status", e);
    }
  }

  private static ObjectNode master(StatusSnapshot s) {
    StatusSnapshot.MasterInfo m = s.master();
    ObjectNode n = MAPPER.createObjectNode();
    n.put("pid", m.pid());
    n.put("version", m.version());
    n.put("startedAt", m.startedAt().toString());
    n.put("uptimeSeconds", seconds(m.uptimeNanos()));
    n.put("state", s.shuttingDown() ? "SHUTTING_DOWN" : "RUNNING");
    n.put("ready", s.notReadyReason() == null);
    n.put("scheduler", m.scheduler());
    n.put("transport", m.transport());
    n.put("inline", m.inline());
    n.put("workersConfigured", m.workersConfigured());
    n.put("workersReady", s.readyWorkers());
    ObjectNode listen = n.putObject("listen");
    listen.put("clients", m.clientAddress());
    listen.put("workers", m.workerSocket());
    listen.put("admin", m.adminAddress());
    if (m.control() != null) {
      control(n, m.control());
    }
    return n;
  }

  private static void control(ObjectNode n, io.drover.master.status.ControlStatus c) {
    ObjectNode config = n.putObject("config");
    config.put("generation", c.configGeneration());
    if (c.lastReload() != null) {
      config.set("lastReload", reload(c.lastReload()));
    } else {
      config.putNull("lastReload");
    }
    n.put("rollout", c.rollout());
    n.put("upgrade", c.upgrade());
    ObjectNode autoscale = n.putObject("autoscale");
    autoscale.put("enabled", c.autoscaleMax() > 0);
    autoscale.put("min", c.autoscaleMin());
    autoscale.put("max", c.autoscaleMax());
    autoscale.put("decisions", c.autoscaleDecisions());
    autoscale.put("lastDecision", c.lastAutoscaleDecision());
  }

  /** A reload's outcome as JSON: also the body of {@code POST /reload}'s answer. */
  static ObjectNode reload(io.drover.master.status.ReloadOutcome r) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("ok", r.ok());
    n.put("generation", r.generation());
    n.put("at", r.at().toString());
    n.put("error", r.error());
    r.applied().forEach(n.putArray("applied")::add);
    r.notApplied().forEach(n.putArray("notApplied")::add);
    n.put("summary", r.summary());
    return n;
  }

  private static ArrayNode workers(StatusSnapshot s) {
    ArrayNode out = MAPPER.createArrayNode();
    Map<Long, WorkerLoad> byPid = new HashMap<>();
    for (WorkerLoad w : s.dispatch().workers()) {
      byPid.put(w.pid(), w);
    }
    if (s.master().inline()) {
      for (WorkerLoad w : s.dispatch().workers()) {
        ObjectNode n = out.addObject();
        n.put("id", w.workerId());
        n.put("pid", s.master().pid());
        n.put("state", w.accepting() ? "READY" : "DRAINING");
        n.putNull("inStateSeconds");
        n.put("restarts", 0);
        n.putNull("lastExit");
        n.put("limits", "none");
        load(n, w);
      }
      return out;
    }
    for (WorkerSlotStatus slot : s.slots()) {
      ObjectNode n = out.addObject();
      n.put("id", slot.id());
      if (slot.pid() < 0) {
        n.putNull("pid");
      } else {
        n.put("pid", slot.pid());
      }
      n.put("state", slot.state().name());
      n.put("inStateSeconds", seconds(slot.nanosInState()));
      n.put("restarts", slot.restarts());
      WorkerSlotStatus.Exit exit = slot.lastExit();
      if (exit == null) {
        n.putNull("lastExit");
      } else {
        ObjectNode e = n.putObject("lastExit");
        e.put("pid", exit.pid());
        if (exit.signal() != 0) {
          e.putNull("exitCode");
          e.put("signal", exit.signal());
        } else {
          e.put("exitCode", exit.exitCode());
          e.putNull("signal");
        }
        e.put("reason", exit.reason());
      }
      n.put("limits", slot.limits());
      load(n, slot.pid() < 0 ? null : byPid.get(slot.pid()));
      if (slot.heartbeatAgeNanos() < 0) {
        n.putNull("heartbeatAgeSeconds");
      } else {
        n.put("heartbeatAgeSeconds", seconds(slot.heartbeatAgeNanos()));
      }
    }
    return out;
  }

  /** What the dispatcher knows of the slot's process; nulls where it knows nothing (yet). */
  private static void load(ObjectNode n, WorkerLoad w) {
    if (w == null) {
      for (String f : List.of("capacity", "inFlight", "inFlightLimit", "completed", "failed", "cpuPercent", "rssBytes", "heapUsedBytes", "heapMaxBytes")) {
        n.putNull(f);
      }
      n.putArray("taskTypes");
      return;
    }
    n.put("capacity", w.capacity());
    n.put("inFlight", w.inFlight());
    n.put("inFlightLimit", w.inFlightLimit());
    n.put("completed", w.completed());
    n.put("failed", w.failed());
    DispatchStatus.HeartbeatFigures h = w.heartbeat();
    if (h == null) {
      for (String f : List.of("cpuPercent", "rssBytes", "heapUsedBytes", "heapMaxBytes")) {
        n.putNull(f);
      }
    } else {
      n.put("cpuPercent", Math.round(h.cpuLoad() * 1000) / 10.0);
      n.put("rssBytes", h.rssBytes());
      n.put("heapUsedBytes", h.heapUsedBytes());
      n.put("heapMaxBytes", h.heapMaxBytes());
    }
    ArrayNode types = n.putArray("taskTypes");
    w.taskTypes().forEach(types::add);
  }

  private static ObjectNode tasks(DispatchStatus d) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("submitted", d.submitted());
    ObjectNode completed = n.putObject("completed");
    d.answeredByStatus().forEach(completed::put);
    n.put("dropped", d.dropped());
    n.put("inFlight", d.inProgress());
    n.put("onWorkers", d.inProgress() - d.queued());
    n.put("waiting", d.queued());
    n.put("waitingBytes", d.queuedBytes());
    ObjectNode byPriority = n.putObject("waitingByPriority");
    d.waitingByPriority().forEach(byPriority::put);
    ObjectNode byType = n.putObject("waitingByType");
    d.waitingByType().forEach(byType::put);
    return n;
  }

  private static ObjectNode connections(io.drover.master.internal.transport.ConnectionStats c) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("open", c.open());
    n.put("partialFrameBytes", c.partialFrameBytes());
    ObjectNode refused = n.putObject("refused");
    refused.put("maxConnections", c.refusedMaxConnections());
    refused.put("maxConnectionsPerAddress", c.refusedMaxPerAddress());
    ObjectNode closed = n.putObject("closed");
    closed.put("idle", c.closedIdle());
    closed.put("frameReadTimeout", c.closedFrameReadTimeout());
    closed.put("handshakeTimeout", c.closedHandshakeTimeout());
    closed.put("partialFrameMemory", c.closedPartialFrameMemory());
    return n;
  }

  private static ObjectNode clients(DispatchStatus d) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("connections", d.clients().size());
    n.put("paused", d.clients().stream().filter(c -> c.pausedReason() != null).count());
    n.put("inFlight", d.clients().stream().mapToInt(ClientLoad::inFlight).sum());
    ArrayNode list = n.putArray("connectionList");
    for (ClientLoad c : d.clients().subList(0, Math.min(MAX_CLIENTS_LISTED, d.clients().size()))) {
      ObjectNode e = list.addObject();
      e.put("address", c.remoteAddress());
      e.put("inFlight", c.inFlight());
      e.put("paused", c.pausedReason() != null);
      e.put("pausedReason", c.pausedReason());
      e.put("jobs", c.jobs());
    }
    return n;
  }

  private static ArrayNode transitions(StatusSnapshot s) {
    ArrayNode out = MAPPER.createArrayNode();
    for (WorkerTransition t : s.transitions()) {
      ObjectNode n = out.addObject();
      n.put("at", t.at().toString());
      n.put("workerId", t.workerId());
      if (t.pid() < 0) {
        n.putNull("pid");
      } else {
        n.put("pid", t.pid());
      }
      n.put("from", t.from().name());
      n.put("to", t.to().name());
      n.put("reason", t.reason());
    }
    return out;
  }

  /** Nanoseconds as seconds with millisecond precision. */
  private static double seconds(long nanos) {
    return Math.round(nanos / 1_000_000.0) / 1000.0;
  }
}
