package io.drover.master.status;

/**
 * How a running master's settings and pool have been changed: reloads, rolling restarts and
 * autoscaling, for status.
 *
 * @param configGeneration 1 at start-up, one more for each reload that changed something
 * @param lastReload the last reload's outcome, or null before any
 * @param rollout the last rolling restart's outcome, or the one in progress; null before any
 * @param poolSize workers in the pool (the configured count, or the last scale's)
 * @param autoscaleMin fewest workers while autoscaling
 * @param autoscaleMax most workers while autoscaling; 0 when autoscaling is off
 * @param autoscaleDecisions autoscaling decisions taken
 * @param lastAutoscaleDecision the last one, or null
 * @param upgrade the last upgrade's progress or outcome, or where this master came from ({@code
 *     "upgraded from master pid 4242"}); null when neither
 */
public record ControlStatus(
    int configGeneration,
    ReloadOutcome lastReload,
    String rollout,
    int poolSize,
    int autoscaleMin,
    int autoscaleMax,
    long autoscaleDecisions,
    String lastAutoscaleDecision,
    String upgrade) {}
