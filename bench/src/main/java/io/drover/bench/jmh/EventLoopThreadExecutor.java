package io.drover.bench.jmh;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The executor JMH runs benchmark threads on ({@code -Djmh.executor=CUSTOM
 * -Djmh.executor.class=io.drover.bench.jmh.EventLoopThreadExecutor}, set by the benchmarks'
 * {@code @Fork}): its threads are Netty {@code FastThreadLocalThread}s, as the master's event
 * loop thread is. On any other thread Netty 4.2's {@code Recycler} hands out fresh objects instead
 * of recycled ones (every {@code ByteBuf} wrapper, slice and outbound-buffer entry), which would
 * make allocation per task look several times larger than in the master.
 */
public final class EventLoopThreadExecutor extends ThreadPoolExecutor {
  /** Called by JMH with the thread count and a name prefix. */
  public EventLoopThreadExecutor(int maxThreads, String prefix) {
    super(
        maxThreads,
        maxThreads,
        1,
        TimeUnit.MINUTES,
        new LinkedBlockingQueue<>(),
        new DefaultThreadFactory(prefix, true));
  }
}
