package io.drover.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A handler of one form called through the other (an inline master calls the array form). */
class HandlerFormsTest {
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

  /** Upper-cases ASCII into a claimed buffer: the buffer form alone. */
  static final class UpperCase implements TaskHandler {
    @Override
    public String taskType() {
      return "upper";
    }

    @Override
    public void handle(TaskContext context, ByteBuffer payload, ResultBuffer result) {
      ByteBuffer out = result.claim(payload.remaining() + 8);
      while (payload.hasRemaining()) {
        out.put((byte) Character.toUpperCase(payload.get()));
      }
    }
  }

  @Test
  void aBufferFormHandlerServesTheArrayForm() throws Exception {
    byte[] out = new UpperCase().handle(CONTEXT, "echo me".getBytes(StandardCharsets.US_ASCII));
    assertThat(new String(out, StandardCharsets.US_ASCII)).isEqualTo("ECHO ME");
  }

  @Test
  void anArrayFormHandlerServesTheBufferForm() throws Exception {
    TaskHandler reverse =
        new TaskHandler() {
          @Override
          public String taskType() {
            return "reverse";
          }

          @Override
          public byte[] handle(TaskContext context, byte[] payload) {
            return new StringBuilder(new String(payload, StandardCharsets.US_ASCII)).reverse().toString().getBytes(StandardCharsets.US_ASCII);
          }
        };
    io.drover.worker.internal.ArrayResult result = new io.drover.worker.internal.ArrayResult();
    reverse.handle(CONTEXT, ByteBuffer.wrap("abc".getBytes(StandardCharsets.US_ASCII)), result);
    assertThat(result.bytes()).isEqualTo("cba".getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void aHandlerOfNeitherFormSaysSo() {
    TaskHandler none =
        new TaskHandler() {
          @Override
          public String taskType() {
            return "none";
          }
        };
    assertThatThrownBy(() -> none.handle(CONTEXT, new byte[1]))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("implements neither");
  }
}
