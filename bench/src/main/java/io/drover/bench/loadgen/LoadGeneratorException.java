package io.drover.bench.loadgen;

/** The load generator could not run, for example because it could not connect. */
public final class LoadGeneratorException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  LoadGeneratorException(String message, Throwable cause) {
    super(message, cause);
  }
}
