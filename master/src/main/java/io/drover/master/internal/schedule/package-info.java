/**
 * Which worker gets a task. A {@link io.drover.master.internal.schedule.Scheduler} picks among the workers
 * that serve the task's type, using only what the master itself observes (tasks outstanding per
 * worker, capacity); {@link io.drover.master.internal.schedule.LeastLoadedScheduler} is the default.
 */
package io.drover.master.internal.schedule;
