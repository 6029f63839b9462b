package io.drover.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The connection's table of requests sent and unanswered. */
class PendingTableTest {
  private static PendingTask<byte[]> task() {
    return new ResultTask(null, new byte[] {'e'}, new byte[0], 0);
  }

  @Test
  void findsAndRemovesRequestsByTheirIdsAndGrowsPastItsFirstSize() {
    PendingTable table = new PendingTable(2);
    List<PendingTask<byte[]>> tasks = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      PendingTask<byte[]> task = task();
      long id = table.add(task);
      assertThat(id).isPositive().isEqualTo(task.id);
      tasks.add(task);
    }
    assertThat(table.size()).isEqualTo(5_000);
    assertThat(tasks.stream().mapToLong(t -> t.id).distinct().count()).isEqualTo(5_000);
    for (PendingTask<byte[]> task : tasks) {
      assertThat(table.get(task.id)).isSameAs(task);
      assertThat(table.remove(task.id)).isSameAs(task);
      assertThat(table.remove(task.id)).isNull();
    }
    assertThat(table.isEmpty()).isTrue();
  }

  @Test
  void anAnswerToARequestGivenUpOnDoesNotFindTheRequestNowInItsSlot() {
    PendingTable table = new PendingTable(1);
    PendingTask<byte[]> old = task();
    long oldId = table.add(old);
    table.remove(oldId); // timed out
    PendingTask<byte[]> next = task();
    long nextId = table.add(next); // the same slot
    assertThat(nextId).isNotEqualTo(oldId);
    assertThat(table.get(oldId)).isNull();
    assertThat(table.remove(oldId)).isNull();
    assertThat(table.get(nextId)).isSameAs(next);
    assertThat(table.get(0)).isNull();
    assertThat(table.get(-1)).isNull();
    assertThat(table.get(Long.MAX_VALUE)).isNull();
  }

  @Test
  void removeAllEmptiesTheTableForReuse() {
    PendingTable table = new PendingTable(4);
    for (int i = 0; i < 10; i++) {
      table.add(task());
    }
    assertThat(table.removeAll()).hasSize(10).doesNotContainNull();
    assertThat(table.isEmpty()).isTrue();
    PendingTask<byte[]> task = task();
    assertThat(table.get(table.add(task))).isSameAs(task);
  }
}
