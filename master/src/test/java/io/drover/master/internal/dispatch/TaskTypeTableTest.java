package io.drover.master.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.protocol.testing.LeakDetectionExtension;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakDetectionExtension.class)
class TaskTypeTableTest {
  private final TaskTypeTable table = new TaskTypeTable();

  /** Finds {@code name} as it would sit inside a frame: after other bytes, followed by more. */
  private TaskType findEmbedded(String name) {
    byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
    ByteBuf frame = Unpooled.directBuffer(utf8.length + 64);
    try {
      frame.writeBytes("header-junk-".getBytes(StandardCharsets.US_ASCII));
      int index = frame.writerIndex();
      frame.writeBytes(utf8);
      frame.writeBytes("-payload-after".getBytes(StandardCharsets.US_ASCII));
      frame.readerIndex(3); // the reader index must not matter: find takes absolute indexes
      return table.find(frame, index, utf8.length);
    } finally {
      frame.release();
    }
  }

  @Test
  void findsATypeByItsByteRangeInsideALargerBuffer() {
    TaskType echo = table.getOrCreate("echo");
    TaskType sha = table.getOrCreate("sha256");
    assertThat(findEmbedded("echo")).isSameAs(echo);
    assertThat(findEmbedded("sha256")).isSameAs(sha);
  }

  @Test
  void returnsNullForATypeNotInTheTable() {
    table.getOrCreate("echo");
    assertThat(findEmbedded("sleep")).isNull();
    assertThat(findEmbedded("ech")).isNull(); // a prefix is not a match
    assertThat(findEmbedded("echoo")).isNull(); // nor is a longer name
    assertThat(findEmbedded("")).isNull();
  }

  @Test
  void namesWithTheSameHashAreToldApartByTheirBytes() {
    // "Aa" and "BB" hash alike (31 * 'A' + 'a' == 31 * 'B' + 'B'): only the bytes can decide.
    assertThat(TaskTypeTable.hash("Aa".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(TaskTypeTable.hash("BB".getBytes(StandardCharsets.UTF_8)));
    TaskType aa = table.getOrCreate("Aa");
    assertThat(findEmbedded("BB")).isNull();
    TaskType bb = table.getOrCreate("BB");
    assertThat(findEmbedded("Aa")).isSameAs(aa);
    assertThat(findEmbedded("BB")).isSameAs(bb);
  }

  @Test
  void findsNothingInAnEmptyTable() {
    assertThat(findEmbedded("echo")).isNull();
  }

  @Test
  void getOrCreateReturnsTheSameTypeForTheSameName() {
    TaskType first = table.getOrCreate("echo");
    assertThat(table.getOrCreate("echo")).isSameAs(first);
    assertThat(table.all()).containsExactly(first);
  }

  @Test
  void everyTypeStaysFindableAfterTheTableGrows() {
    List<TaskType> created = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      created.add(table.getOrCreate("type-" + i));
    }
    assertThat(table.all()).hasSize(200);
    for (int i = 0; i < 200; i++) {
      assertThat(findEmbedded("type-" + i)).as("type-%d", i).isSameAs(created.get(i));
    }
    assertThat(findEmbedded("type-200")).isNull();
    assertThat(findEmbedded("type-")).isNull();
  }

  @Test
  void findsNamesWithNonAsciiUtf8() {
    List<String> names = List.of("résumé", "日本語のタスク", "emoji-\uD83D\uDE80", "Ünïcödé", "naïve");
    List<TaskType> created = names.stream().map(table::getOrCreate).toList();
    for (int i = 0; i < names.size(); i++) {
      assertThat(findEmbedded(names.get(i))).isSameAs(created.get(i));
      assertThat(created.get(i).utf8).isEqualTo(names.get(i).getBytes(StandardCharsets.UTF_8));
    }
    // Same characters, different normalization: different bytes, so a different (absent) type.
    assertThat(findEmbedded("re\u0301sume\u0301")).isNull();
  }

  @Test
  void servedNamesListsOnlyTypesWithWorkersSorted() {
    TaskType b = table.getOrCreate("b");
    table.getOrCreate("unserved");
    TaskType a = table.getOrCreate("a");
    assertThat(table.servedNames()).isEqualTo("[]");
    WorkerSession worker = new WorkerSession(null, -1, false);
    b.workers.add(worker);
    a.workers.add(worker);
    assertThat(table.servedNames()).isEqualTo("[a, b]");
  }
}
