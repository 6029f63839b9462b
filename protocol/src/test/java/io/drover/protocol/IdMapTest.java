package io.drover.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IdMapTest {
  @Test
  void sequentialIdsGoInAndComeOutInAnyOrder() {
    IdMap<String> map = new IdMap<>();
    for (long id = 1; id <= 10_000; id++) {
      assertThat(map.put(id, "v" + id)).isNull();
    }
    assertThat(map.size()).isEqualTo(10_000);
    // First in, first out, as results come back.
    for (long id = 1; id <= 5_000; id++) {
      assertThat(map.remove(id)).isEqualTo("v" + id);
    }
    for (long id = 1; id <= 10_000; id++) {
      assertThat(map.get(id)).isEqualTo(id <= 5_000 ? null : "v" + id);
      assertThat(map.containsKey(id)).isEqualTo(id > 5_000);
    }
    assertThat(map.values()).hasSize(5_000).allMatch(v -> Long.parseLong(v.substring(1)) > 5_000);
  }

  @Test
  void behavesLikeAMapForAnyKeys() {
    IdMap<String> map = new IdMap<>(4);
    Map<Long, String> expected = new HashMap<>();
    SplittableRandom random = new SplittableRandom(7);
    long[] edges = {0, -1, 1, Long.MIN_VALUE, Long.MAX_VALUE};
    for (int i = 0; i < 50_000; i++) {
      long key = i < edges.length ? edges[i] : random.nextInt(4) == 0 ? random.nextLong() : random.nextLong(2_000);
      String value = Long.toString(random.nextLong());
      if (random.nextBoolean()) {
        assertThat(map.put(key, value)).isEqualTo(expected.put(key, value));
      } else {
        assertThat(map.remove(key)).isEqualTo(expected.remove(key));
      }
      assertThat(map.get(key)).isEqualTo(expected.get(key));
    }
    assertThat(map.size()).isEqualTo(expected.size());
    assertThat(map.values()).containsExactlyInAnyOrderElementsOf(expected.values());
  }
}
