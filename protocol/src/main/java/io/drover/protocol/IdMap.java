package io.drover.protocol;

import io.netty.util.collection.LongObjectHashMap;

/**
 * A {@link LongObjectHashMap} for ids handed out in sequence (task ids, request ids): it scatters
 * the keys before hashing. Netty's map hashes a long by folding its halves and masking, so
 * sequential ids fill one contiguous run of slots; removing an entry then walks the whole run to
 * the next empty slot to close the gap (linear probing's backward shift), which made each removal
 * cost as much as the tasks in flight: 13% of the master's dispatch loop with 2,048 tasks in
 * flight (bench/RESULTS.md). Multiplying by an odd constant is a bijection on longs, so every key
 * stays distinct while consecutive ones land far apart.
 *
 * <p>Look entries up, add and remove them by id, and iterate the values; the keys the map holds
 * are the scattered ones, so do not iterate them.
 *
 * @param <V> the value type
 */
public final class IdMap<V> extends LongObjectHashMap<V> {
  /** 2^64 divided by the golden ratio, odd: consecutive ids land far apart. */
  private static final long SCATTER = 0x9E3779B97F4A7C15L;

  /** An empty map with Netty's default capacity. */
  public IdMap() {
    super();
  }

  /** An empty map sized for {@code initialCapacity} entries. */
  public IdMap(int initialCapacity) {
    super(initialCapacity);
  }

  @Override
  public V get(long key) {
    return super.get(key * SCATTER);
  }

  @Override
  public V put(long key, V value) {
    return super.put(key * SCATTER, value);
  }

  @Override
  public V remove(long key) {
    return super.remove(key * SCATTER);
  }

  @Override
  public boolean containsKey(long key) {
    return super.containsKey(key * SCATTER);
  }
}
