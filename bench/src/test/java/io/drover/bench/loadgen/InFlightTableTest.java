package io.drover.bench.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InFlightTableTest {
  @Test
  void holdsAtMostItsSlotsAndGivesUniquePositiveIds() {
    InFlightTable table = new InFlightTable(4);
    Set<Long> ids = new HashSet<>();
    for (int i = 0; i < 4; i++) {
      ids.add(table.acquire(100 + i));
    }

    assertThat(ids).hasSize(4).allMatch(id -> id > 0);
    assertThat(table.acquire(200)).isZero();
    assertThat(table.inFlight()).isEqualTo(4);
  }

  @Test
  void completeReturnsTheSendTimeOnce() {
    InFlightTable table = new InFlightTable(2);
    long first = table.acquire(111);
    long second = table.acquire(222);

    assertThat(table.complete(second)).isEqualTo(222);
    assertThat(table.complete(first)).isEqualTo(111);
    assertThat(table.complete(first)).isEqualTo(Long.MIN_VALUE);
    assertThat(table.inFlight()).isZero();
  }

  @Test
  void aReplyToAReusedSlotsOldIdIsStale() {
    InFlightTable table = new InFlightTable(1);
    long old = table.acquire(1);
    table.complete(old);
    long current = table.acquire(2);

    assertThat(current).isNotEqualTo(old);
    assertThat(table.complete(old)).isEqualTo(Long.MIN_VALUE);
    assertThat(table.complete(current)).isEqualTo(2);
  }

  @Test
  void unknownIdsAreStale() {
    InFlightTable table = new InFlightTable(2);

    assertThat(table.complete(0)).isEqualTo(Long.MIN_VALUE);
    assertThat(table.complete(-5)).isEqualTo(Long.MIN_VALUE);
    assertThat(table.complete(12345)).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void expireFreesOnlyTasksSentBeforeTheDeadline() {
    InFlightTable table = new InFlightTable(3);
    table.acquire(10);
    long young = table.acquire(50);
    table.acquire(20);
    List<Long> expired = new ArrayList<>();

    assertThat(table.expire(30, expired::add)).isEqualTo(2);
    assertThat(expired).containsExactlyInAnyOrder(10L, 20L);
    assertThat(table.inFlight()).isEqualTo(1);
    assertThat(table.complete(young)).isEqualTo(50);
  }

  @Test
  void clearFreesEverything() {
    InFlightTable table = new InFlightTable(3);
    table.acquire(Long.MAX_VALUE);
    table.acquire(Long.MIN_VALUE + 1);
    List<Long> lost = new ArrayList<>();

    assertThat(table.clear(lost::add)).isEqualTo(2);
    assertThat(table.inFlight()).isZero();
  }

  @Test
  void tablesWithDisjointGenerationsNeverShareAnId() {
    InFlightTable first = new InFlightTable(8, 1, 2);
    InFlightTable second = new InFlightTable(8, 2, 2);
    Set<Long> ids = new HashSet<>();
    for (int round = 0; round < 100; round++) {
      long a = first.acquire(round);
      long b = second.acquire(round);
      assertThat(ids.add(a)).isTrue();
      assertThat(ids.add(b)).isTrue();
      assertThat(second.complete(a)).isEqualTo(Long.MIN_VALUE);
      first.complete(a);
      second.complete(b);
    }
  }
}
