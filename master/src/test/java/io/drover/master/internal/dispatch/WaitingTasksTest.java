package io.drover.master.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WaitingTasksTest {
  private final WaitingTasks waiting = new WaitingTasks();
  private final ClientSession client = new ClientSession(null, null);
  private final TaskType type = new TaskType("echo");
  private long ids;

  private Task task(int priority) {
    Task t = new Task(++ids, client, ids, type, Unpooled.EMPTY_BUFFER);
    t.priority = (byte) priority;
    return t;
  }

  @Test
  void highGoesFirstWhenItIsAloneOrAheadOfLowerOnes() {
    Task low = task(WaitingTasks.LOW);
    Task normal = task(WaitingTasks.NORMAL);
    Task high = task(WaitingTasks.HIGH);
    waiting.addLast(low);
    waiting.addLast(normal);
    waiting.addLast(high);
    assertThat(waiting.poll()).isSameAs(high);
    assertThat(waiting.poll()).isSameAs(normal);
    assertThat(waiting.poll()).isSameAs(low);
    assertThat(waiting.poll()).isNull();
  }

  @Test
  void underContentionEachPriorityGetsItsWeightedShareAndLowIsNotStarved() {
    for (int i = 0; i < 1_000; i++) {
      waiting.addLast(task(WaitingTasks.HIGH));
      waiting.addLast(task(WaitingTasks.NORMAL));
      waiting.addLast(task(WaitingTasks.LOW));
    }
    Map<Integer, Integer> served = new HashMap<>();
    for (int i = 0; i < 1_000; i++) {
      served.merge((int) waiting.poll().priority, 1, Integer::sum);
    }
    assertThat(served.get(WaitingTasks.HIGH)).isEqualTo(600);
    assertThat(served.get(WaitingTasks.NORMAL)).isEqualTo(300);
    assertThat(served.get(WaitingTasks.LOW)).isEqualTo(100);
  }

  @Test
  void unknownPriorityNumbersCountAsNormal() {
    assertThat((int) WaitingTasks.of(7)).isEqualTo(WaitingTasks.NORMAL);
    assertThat((int) WaitingTasks.of(-1)).isEqualTo(WaitingTasks.NORMAL);
    assertThat((int) WaitingTasks.of(1)).isEqualTo(WaitingTasks.HIGH);
  }
}
