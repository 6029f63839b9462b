package com.example.handlers;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.drover.worker.TaskContext;
import io.drover.worker.TaskHandler;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class UppercaseHandlerTest {
  /** The context of a first run; a handler that ignores its context could also take null. */
  private static final TaskContext CONTEXT =
      new TaskContext() {
        @Override
        public long taskId() {
          return 1;
        }

        @Override
        public String taskType() {
          return "upper";
        }

        @Override
        public int attempt() {
          return 1;
        }

        @Override
        public int workerId() {
          return 1;
        }

        @Override
        public boolean isCancelled() {
          return false;
        }
      };

  @Test
  void upperCasesThePayload() throws Exception {
    byte[] result = new UppercaseHandler().handle(CONTEXT, "hello, Drover".getBytes(UTF_8));
    assertEquals("HELLO, DROVER", new String(result, UTF_8));
  }

  @Test
  void workersFindTheHandlerThroughItsServiceFile() {
    assertEquals(
        "upper",
        ServiceLoader.load(TaskHandler.class).findFirst().orElseThrow().taskType());
  }
}
