package io.drover.master.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class StatusTableTest {
  private static final String STATUS =
      """
      {"master": {"pid": 4242, "version": "0.1.0", "uptimeSeconds": 7384.5, "state": "RUNNING", "ready": true,
                  "scheduler": "least-loaded", "transport": "epoll", "inline": false, "workersConfigured": 3, "workersReady": 2,
                  "listen": {"clients": "127.0.0.1:7070", "workers": "/tmp/d/workers.sock", "admin": "127.0.0.1:7071"}},
       "workers": [
         {"id": 1, "pid": 5001, "state": "READY", "inStateSeconds": 7380.2, "restarts": 0, "lastExit": null,
          "capacity": 16, "inFlight": 12, "completed": 123456, "failed": 3, "cpuPercent": 42.25,
          "rssBytes": 104857600, "heapUsedBytes": 33554432, "heapMaxBytes": 1073741824, "heartbeatAgeSeconds": 0.42},
         {"id": 2, "pid": 5077, "state": "READY", "inStateSeconds": 65, "restarts": 1,
          "lastExit": {"pid": 5002, "exitCode": null, "signal": 9, "reason": "exited unexpectedly (killed by signal 9)"},
          "capacity": 16, "inFlight": 0, "completed": 7, "failed": 0, "cpuPercent": 0.0,
          "rssBytes": 94371840, "heapUsedBytes": 20971520, "heapMaxBytes": 1073741824, "heartbeatAgeSeconds": 12.0},
         {"id": 3, "pid": null, "state": "BACKING_OFF", "inStateSeconds": 2, "restarts": 4,
          "lastExit": {"pid": 5090, "exitCode": 1, "signal": null, "reason": "exited unexpectedly (exit code 1)"},
          "capacity": null, "inFlight": null, "completed": null, "failed": null, "cpuPercent": null,
          "rssBytes": null, "heapUsedBytes": null, "heapMaxBytes": null, "heartbeatAgeSeconds": null}],
       "tasks": {"submitted": 123500, "completed": {"OK": 123460, "HANDLER_ERROR": 3}, "inFlight": 37, "onWorkers": 12,
                 "waiting": 25, "waitingBytes": 2500, "waitingByPriority": {"high": 5, "normal": 20, "low": 0},
                 "waitingByType": {"echo": 25}},
       "clients": {"connections": 2, "paused": 1, "inFlight": 37, "connectionList": []},
       "jobs": {"inProgress": 1}}
      """;

  @Test
  void rendersAHeaderAnAlignedWorkerTableWithUnitsAndASummary() throws Exception {
    String table = StatusTable.render(new ObjectMapper().readTree(STATUS));
    assertThat(table)
        .isEqualTo(
            """
            Drover master  pid 4242  RUNNING  up 2h 3m  version 0.1.0
              clients 127.0.0.1:7070  admin 127.0.0.1:7071  scheduler least-loaded  transport epoll
              workers ready 2/3

            id   pid  state        in state  restarts  in-flight  completed  failed    cpu        rss      heap  heartbeat
             1  5001  READY           2h 3m         0         12     123456       3  42.3%  100.0 MiB  32.0 MiB   0.4s ago
             2  5077  READY           1m 5s         1          0          7       0   0.0%   90.0 MiB  20.0 MiB    12s ago
             3     -  BACKING_OFF        2s         4          -          -       -      -          -         -          -

              worker 2: last exit of pid 5002: exited unexpectedly (killed by signal 9)
              worker 3: last exit of pid 5090: exited unexpectedly (exit code 1)

            tasks    123500 submitted, 123463 completed (123460 OK, 3 HANDLER_ERROR), 37 in flight, 25 waiting (high 5, normal 20, low 0)
                     waiting by type: echo 25
            clients  2 connections, 37 tasks in flight, 1 paused
            jobs     1 in progress
            """);
  }

  @Test
  void workerLimitsShowOnceForEachSetAndAKillByTheMemoryLimitAsTheLastExit() throws Exception {
    String table =
        StatusTable.render(
            new ObjectMapper()
                .readTree(
                    """
                    {"workers": [
                      {"id": 1, "limits": "memory 256 MiB (cgroup v1 memory.limit_in_bytes)",
                       "lastExit": {"pid": 7, "signal": 9, "reason": "killed by the memory limit (256 MiB), signal 9"}},
                      {"id": 2, "limits": "memory 256 MiB (cgroup v1 memory.limit_in_bytes)", "lastExit": null}]}
                    """));
    assertThat(table)
        .containsOnlyOnce("  worker limits memory 256 MiB (cgroup v1 memory.limit_in_bytes)\n")
        .contains("  worker 1: last exit of pid 7: killed by the memory limit (256 MiB), signal 9\n");
    assertThat(StatusTable.render(new ObjectMapper().readTree("{\"workers\": [{\"id\": 1, \"limits\": \"none\"}]}")))
        .doesNotContain("worker limits");
  }

  @Test
  void fieldsItDoesNotKnowOrFindShowAsADash() throws Exception {
    String table = StatusTable.render(new ObjectMapper().readTree("{\"workers\": [{\"id\": 1, \"extra\": true}]}"));
    assertThat(table).contains("Drover master  pid -  -  up -  version -").contains(" 1    -  -");
  }

  @Test
  void durationsAreAsLongAsTheyNeedToBe() {
    assertThat(StatusTable.duration(0)).isEqualTo("0s");
    assertThat(StatusTable.duration(59)).isEqualTo("59s");
    assertThat(StatusTable.duration(61)).isEqualTo("1m 1s");
    assertThat(StatusTable.duration(3600)).isEqualTo("1h 0m");
    assertThat(StatusTable.duration(90061)).isEqualTo("1d 1h");
  }

  @Test
  void aMasterChangedWhileRunningSaysHow() throws Exception {
    com.fasterxml.jackson.databind.node.ObjectNode status = (com.fasterxml.jackson.databind.node.ObjectNode) new ObjectMapper().readTree(STATUS);
    com.fasterxml.jackson.databind.node.ObjectNode m = (com.fasterxml.jackson.databind.node.ObjectNode) status.get("master");
    m.putObject("config").put("generation", 3).putObject("lastReload").put("ok", false).put("at", "2026-12-01T14:03:01Z");
    m.put("rollout", "rolling restart done (drover restart): 3 of 3 workers replaced");
    m.putObject("autoscale").put("enabled", true).put("min", 1).put("max", 4).put("decisions", 2);
    assertThat(StatusTable.render(status))
        .contains(
            "  workers ready 2/3\n"
                + "  settings generation 3 (last reload refused at 2026-12-01T14:03:01Z)  autoscale 1..4 (2 decisions)\n"
                + "  rolling restart done (drover restart): 3 of 3 workers replaced\n\n");
  }
}
