package io.drover.master.schedule;

import java.util.List;

/**
 * Chooses the worker for the next task. Called on the dispatch event loop only, once per
 * dispatch, so implementations must be cheap and must not allocate.
 */
public interface Scheduler {
  /**
   * Picks one of {@code candidates} that accepts tasks and is below its in-flight cap.
   *
   * @return the chosen worker, or {@code null} when every candidate is full or unavailable
   */
  <W extends Schedulable> W pick(List<W> candidates);
}
