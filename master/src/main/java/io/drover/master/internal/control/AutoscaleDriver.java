package io.drover.master.internal.control;

import io.drover.master.config.AutoscaleSettings;
import io.drover.master.config.MasterConfig;
import io.drover.master.internal.dispatch.Dispatcher;
import io.drover.master.internal.supervise.WorkerSupervisor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link Autoscaler}: once a second it reads the pool's load on the dispatch loop (a few
 * reads per worker; nothing is added to the task path), hands the sample to the supervisor thread,
 * which decides and scales, and logs each decision in one line with its reason. Reads the settings
 * the master runs with at each tick, so a reload turns autoscaling on, off or changes it.
 */
public final class AutoscaleDriver implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AutoscaleDriver.class);
  private static final int CORES = Runtime.getRuntime().availableProcessors();

  private final Dispatcher dispatcher;
  private final WorkerSupervisor supervisor;
  private final Executor control;
  private final Supplier<MasterConfig> settings;
  private final Autoscaler autoscaler = new Autoscaler();
  private final ScheduledFuture<?> tick;
  /** Control thread only. */
  private AutoscaleSettings last;
  private volatile long decisions;
  private volatile String lastDecision;

  /** Starts sampling once a second. */
  public AutoscaleDriver(Dispatcher dispatcher, WorkerSupervisor supervisor, Supplier<MasterConfig> settings) {
    this.dispatcher = dispatcher;
    this.supervisor = supervisor;
    this.control = supervisor.controlExecutor();
    this.settings = settings;
    this.tick = dispatcher.loop().scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
  }

  /** On the dispatch loop. */
  private void sample() {
    AutoscaleSettings a = settings.get().autoscale();
    if (!a.enabled()) {
      return;
    }
    Dispatcher.PoolLoad load = dispatcher.poolLoad();
    long now = System.nanoTime();
    try {
      control.execute(() -> decide(now, load, a));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // The supervisor has stopped: so has autoscaling.
    }
  }

  /** On the control thread. */
  private void decide(long now, Dispatcher.PoolLoad load, AutoscaleSettings a) {
    if (!a.equals(last)) {
      autoscaler.reset();
      last = a;
    }
    double perUnit = load.capacity() == 0 ? 0 : (double) (load.inFlight() + load.queued()) / load.capacity();
    double cores = load.ready() == 0 ? 0 : load.cpuShare() * CORES / load.ready();
    Autoscaler.Decision d =
        autoscaler.offer(new Autoscaler.Sample(now, supervisor.poolSize(), load.ready(), perUnit, cores), a);
    if (!d.scales()) {
      return;
    }
    decisions++;
    lastDecision = d.reason();
    log.info("autoscale: {}", d.reason());
    supervisor.scale(d.workers()).whenComplete((line, failure) -> {
      if (failure != null) {
        log.warn("autoscale: could not scale to {} workers: {}", d.workers(), failure.getMessage());
      }
    });
  }

  /** Decisions taken so far. */
  public long decisions() {
    return decisions;
  }

  /** The last decision's line, or null before any. */
  public String lastDecision() {
    return lastDecision;
  }

  @Override
  public void close() {
    tick.cancel(false);
  }
}
