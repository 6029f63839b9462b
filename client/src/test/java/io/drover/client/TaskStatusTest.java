package io.drover.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.protocol.proto.Status;
import org.junit.jupiter.api.Test;

class TaskStatusTest {
  @Test
  void everyWireStatusHasTheSameNumberAndName() {
    for (Status s : Status.values()) {
      if (s != Status.UNRECOGNIZED) {
        assertThat(TaskStatus.forNumber(s.getNumber()).name()).as("status %d", s.getNumber()).isEqualTo(s.name());
      }
    }
    for (TaskStatus t : TaskStatus.values()) {
      if (t != TaskStatus.UNRECOGNIZED) {
        assertThat(TaskStatus.forNumber(t.wireNumber())).isSameAs(t);
        Status s = Status.forNumber(t.wireNumber());
        // A status the protocol module does not define yet is tolerated, a different one is not.
        assertThat(s == null ? t.name() : s.name()).isEqualTo(t.name());
      }
    }
  }

  @Test
  void numbersTheClientDoesNotKnowAreUnrecognized() {
    assertThat(TaskStatus.forNumber(13)).isEqualTo(TaskStatus.RESULT_TOO_LARGE);
    assertThat(TaskStatus.forNumber(42)).isEqualTo(TaskStatus.UNRECOGNIZED);
    assertThat(TaskStatus.forNumber(-1)).isEqualTo(TaskStatus.UNRECOGNIZED);
    assertThat(TaskStatus.UNRECOGNIZED.wireNumber()).isEqualTo(-1);
  }
}
