package io.drover.master.internal.dispatch;

import io.drover.master.internal.schedule.ConsistentHashScheduler;
import io.netty.buffer.ByteBuf;

/** Turns a task's routing key, a byte range of its frame, into the hash schedulers place by. */
final class RoutingKeys {
  private RoutingKeys() {}

  /** A 64-bit hash of a routing key's bytes (FNV-1a, then mixed); never 0, which means no key. */
  static long hash(ByteBuf buf, int index, int length) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < length; i++) {
      h = (h ^ (buf.getByte(index + i) & 0xFF)) * 0x100000001b3L;
    }
    h = ConsistentHashScheduler.mix(h);
    return h == 0 ? 1 : h;
  }
}
