package io.drover.master.internal.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LogRingTest {
  private static void master(LogRing ring, String text) {
    ring.append(1_000, LogLine.MASTER, 1, false, "INFO", text);
  }

  private static List<String> texts(LogRing.Batch batch) {
    return batch.lines().stream().map(LogLine::text).toList();
  }

  @Test
  void keepsTheLastMaxLinesDroppingTheOldest() {
    LogRing ring = new LogRing(3, LogRing.MAX_LINE_CHARS);
    for (int i = 1; i <= 5; i++) {
      master(ring, "line " + i);
    }
    assertThat(texts(ring.last(10, LogFilter.ALL))).containsExactly("line 3", "line 4", "line 5");
    assertThat(texts(ring.last(2, LogFilter.ALL))).containsExactly("line 4", "line 5");
    assertThat(ring.last(0, LogFilter.ALL).lines()).isEmpty();
    assertThat(ring.last(10, LogFilter.ALL).nextSeq()).isEqualTo(6);
  }

  @Test
  void keepsAtMostMaxCharsOfTextDroppingTheOldest() {
    LogRing ring = new LogRing(1_000, LogRing.MAX_LINE_CHARS * 2L - 1);
    master(ring, "a".repeat(LogRing.MAX_LINE_CHARS - 10));
    master(ring, "b".repeat(10));
    master(ring, "c".repeat(LogRing.MAX_LINE_CHARS)); // one character too many for all three
    assertThat(ring.last(10, LogFilter.ALL).lines())
        .extracting(l -> l.text().charAt(0) + " x " + l.text().length())
        .containsExactly("b x 10", "c x " + LogRing.MAX_LINE_CHARS);
  }

  @Test
  void cutsALongLineAndSaysHowMuchItLost() {
    LogRing ring = new LogRing();
    ring.appendWorkerLine(1, 42, false, "x".repeat(LogRing.MAX_LINE_CHARS + 1_000));
    String text = ring.last(1, LogFilter.ALL).lines().get(0).text();
    assertThat(text.length()).isEqualTo(LogRing.MAX_LINE_CHARS + " [... 1000 more characters]".length());
    assertThat(text.substring(LogRing.MAX_LINE_CHARS)).isEqualTo(" [... 1000 more characters]");
  }

  @Test
  void filtersByWorkerSlotOrMaster() {
    LogRing ring = new LogRing();
    master(ring, "m1");
    ring.appendWorkerLine(1, 101, false, "w1 out");
    ring.appendWorkerLine(2, 202, true, "w2 err");
    ring.appendWorkerLine(1, 111, false, "w1 restarted");
    master(ring, "m2");
    assertThat(texts(ring.last(10, LogFilter.MASTER))).containsExactly("m1", "m2");
    assertThat(texts(ring.last(10, LogFilter.worker(1)))).containsExactly("w1 out", "w1 restarted");
    assertThat(texts(ring.last(1, LogFilter.worker(1)))).containsExactly("w1 restarted");
    assertThat(texts(ring.last(10, LogFilter.worker(3)))).isEmpty();
    LogLine err = ring.last(10, LogFilter.worker(2)).lines().get(0);
    assertThat(err).extracting(LogLine::pid, LogLine::stderr, LogLine::level).containsExactly(202L, true, "WARN");
    assertThat(texts(ring.since(3, LogFilter.ALL))).containsExactly("w2 err", "w1 restarted", "m2");
    assertThat(texts(ring.since(3, LogFilter.MASTER))).containsExactly("m2");
  }

  @Test
  void sinceCountsTheLinesDroppedBeforeTheyWereRead() {
    LogRing ring = new LogRing(3, LogRing.MAX_LINE_CHARS);
    long next = ring.last(0, LogFilter.ALL).nextSeq();
    for (int i = 1; i <= 5; i++) {
      master(ring, "line " + i);
    }
    LogRing.Batch batch = ring.since(next, LogFilter.ALL);
    assertThat(texts(batch)).containsExactly("line 3", "line 4", "line 5");
    assertThat(batch.missed()).isEqualTo(2);
    LogRing.Batch none = ring.since(batch.nextSeq(), LogFilter.ALL);
    assertThat(none.lines()).isEmpty();
    assertThat(none.missed()).isZero();
    assertThat(none.nextSeq()).isEqualTo(batch.nextSeq());
  }

  @Test
  void wakesTheReaderOnceForAllTheLinesAppendedUntilItRuns() {
    LogRing ring = new LogRing();
    List<Runnable> handed = new ArrayList<>();
    AtomicInteger woken = new AtomicInteger();
    ring.wakeOnAppend(handed::add, woken::incrementAndGet);
    master(ring, "a");
    master(ring, "b");
    master(ring, "c");
    assertThat(handed).hasSize(1);
    handed.remove(0).run();
    assertThat(woken).hasValue(1);
    master(ring, "d");
    assertThat(handed).hasSize(1);
    ring.stopWaking();
    handed.remove(0).run(); // handed before stopWaking: runs, calls nobody
    master(ring, "e");
    assertThat(handed).isEmpty();
    assertThat(woken).hasValue(1);
  }

  @Test
  void aReaderLoopThatRefusesTasksIsNotWokenAgainUntilItTakesThem() {
    LogRing ring = new LogRing();
    AtomicInteger tries = new AtomicInteger();
    ring.wakeOnAppend(
        r -> {
          tries.incrementAndGet();
          throw new java.util.concurrent.RejectedExecutionException("shut down");
        },
        () -> {});
    master(ring, "a");
    master(ring, "b");
    assertThat(tries).hasValue(2); // each append tries again: none is left pending
    assertThat(texts(ring.last(5, LogFilter.ALL))).containsExactly("a", "b");
  }

  @Test
  void concurrentAppendsKeepEveryLineOnceAndEachWritersOrder() throws Exception {
    int writers = 8;
    int perWriter = 5_000;
    LogRing ring = new LogRing(writers * perWriter, (long) writers * perWriter * 16);
    AtomicInteger wakes = new AtomicInteger();
    ring.wakeOnAppend(Runnable::run, wakes::incrementAndGet);
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int w = 1; w <= writers; w++) {
      int id = w;
      done.add(
          pool.submit(
              () -> {
                go.await();
                for (int i = 0; i < perWriter; i++) {
                  ring.appendWorkerLine(id, id, false, Integer.toString(i));
                }
                return null;
              }));
    }
    go.countDown();
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    List<LogLine> all = ring.last(writers * perWriter, LogFilter.ALL).lines();
    assertThat(all).hasSize(writers * perWriter);
    Map<Integer, Integer> nextOfWriter = new HashMap<>();
    long seq = all.get(0).seq();
    for (LogLine line : all) {
      assertThat(line.seq()).isEqualTo(seq++);
      int expected = nextOfWriter.getOrDefault(line.workerId(), 0);
      assertThat(Integer.parseInt(line.text())).as("writer %s's order", line.workerId()).isEqualTo(expected);
      nextOfWriter.put(line.workerId(), expected + 1);
    }
    assertThat(nextOfWriter.values()).containsOnly(perWriter);
    assertThat(wakes.get()).isPositive();
    for (int w = 1; w <= writers; w++) {
      assertThat(ring.last(perWriter + 1, LogFilter.worker(w)).lines()).hasSize(perWriter);
    }
  }

  @Test
  void refusesBadSizes() {
    assertThatThrownBy(() -> new LogRing(0, LogRing.MAX_LINE_CHARS)).hasMessage("maxLines: 0 (expected: > 0)");
    assertThatThrownBy(() -> new LogRing(10, 10)).hasMessage("maxChars: 10 (expected: >= 4096)");
    assertThatThrownBy(() -> new LogRing().last(-1, LogFilter.ALL)).hasMessage("n: -1 (expected: >= 0)");
    assertThatThrownBy(() -> LogFilter.worker(0)).hasMessage("id: 0 (expected: > 0)");
  }
}
