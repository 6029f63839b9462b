package io.drover.master.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class FairQueueTest {
  private final FairQueue queue = new FairQueue();
  private final ClientSession a = new ClientSession(null, null);
  private final ClientSession b = new ClientSession(null, null);
  private final TaskType type = new TaskType("echo");
  private long ids;

  private Task task(ClientSession client) {
    return new Task(++ids, client, ids, type, Unpooled.EMPTY_BUFFER);
  }

  @Test
  void takesConnectionsInTurnAndEachInOrder() {
    Task a1 = task(a);
    Task a2 = task(a);
    Task a3 = task(a);
    Task b1 = task(b);
    queue.addLast(a1);
    queue.addLast(a2);
    queue.addLast(a3);
    queue.addLast(b1);
    assertThat(queue.size()).isEqualTo(4);
    assertThat(queue.poll()).isSameAs(a1);
    assertThat(queue.poll()).isSameAs(b1);
    assertThat(queue.poll()).isSameAs(a2);
    assertThat(queue.poll()).isSameAs(a3);
    assertThat(queue.poll()).isNull();
    assertThat(queue.isEmpty()).isTrue();
  }

  @Test
  void aRetriedTaskGoesFirstWithItsConnection() {
    Task a1 = task(a);
    Task b1 = task(b);
    Task b0 = task(b);
    queue.addLast(a1);
    queue.addLast(b1);
    queue.addFirst(b0);
    assertThat(queue.poll()).isSameAs(b0);
    assertThat(queue.poll()).isSameAs(a1);
    assertThat(queue.poll()).isSameAs(b1);
  }

  @Test
  void anOpenConnectionKeepsItsEmptyLaneAndAClosedOneLosesIt() {
    queue.addLast(task(a));
    queue.addLast(task(b));
    queue.poll();
    queue.poll();
    assertThat(queue.lanes()).isEqualTo(2); // both open: lanes kept for their next tasks
    a.open = false;
    queue.forget(a);
    assertThat(queue.lanes()).isEqualTo(1);
    // A connection that closes with tasks waiting loses its lane when the last one is taken.
    queue.addLast(task(b));
    b.open = false;
    queue.forget(b);
    assertThat(queue.lanes()).isEqualTo(1);
    queue.poll();
    assertThat(queue.lanes()).isZero();
    // The order is still right after a lane was kept empty.
    ClientSession c = new ClientSession(null, null);
    Task c1 = task(c);
    queue.addLast(c1);
    queue.poll();
    Task c2 = task(c);
    queue.addLast(c2);
    assertThat(queue.poll()).isSameAs(c2);
  }
}
