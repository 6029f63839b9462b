/**
 * Resource limits on worker processes, enforced by the kernel: which mechanisms this machine has
 * (cgroup v2, cgroup v1, rlimits through {@code prlimit}), one cgroup per worker process under the
 * master's own cgroup, and whether a worker that died was killed by its memory limit.
 *
 * <p>Start reading at {@link io.drover.master.internal.limits.WorkerLimiter}: the supervisor makes
 * one at start-up; {@link io.drover.master.internal.limits.CgroupMounts} finds the master's
 * cgroups, {@link io.drover.master.internal.limits.CgroupTree} and its two versions write the
 * limit files, and {@link io.drover.master.internal.limits.LimitPlan} says what is enforced how.
 */
package io.drover.master.internal.limits;
