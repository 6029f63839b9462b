package io.drover.client.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Waits for a future to fail and returns why, checking the exception's type. */
public final class FutureFailures {
  private FutureFailures() {}

  /** The exception {@code future} fails with, within 10 seconds; it must be a {@code type}. */
  public static <T extends Throwable> T failure(CompletableFuture<?> future, Class<T> type) {
    Throwable thrown = catchThrowable(() -> future.get(60, TimeUnit.SECONDS));
    assertThat(thrown).as("the future's failure").isNotNull();
    Throwable cause = thrown.getCause() != null ? thrown.getCause() : thrown;
    assertThat(cause).isInstanceOf(type);
    return type.cast(cause);
  }
}
