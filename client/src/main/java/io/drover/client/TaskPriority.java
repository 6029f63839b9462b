package io.drover.client;

/**
 * Which waiting tasks the master serves first when every worker is busy: higher priorities go
 * first, with a weighted share (about 6 high, 3 normal, 1 low of every 10) so none waits forever.
 */
public enum TaskPriority {
  /** Served after the others, but never starved. */
  LOW(2),
  /** The default. */
  NORMAL(0),
  /** Served first. */
  HIGH(1);

  private final int wireValue;

  TaskPriority(int wireValue) {
    this.wireValue = wireValue;
  }

  /** The {@code RequestHeader.Priority} number. */
  public int wireValue() {
    return wireValue;
  }
}
