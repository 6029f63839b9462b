package io.drover.master.internal.admin;

import java.util.concurrent.CompletionStage;

/**
 * What answers one path. Called on the admin event loop; it must not block it: a route that needs
 * state owned elsewhere asks its owner and completes the stage when the answer comes.
 */
@FunctionalInterface
public interface AdminRoute {
  /** The answer to {@code request}; a stage that fails is answered 500 with a short message. */
  CompletionStage<AdminResponse> respond(AdminRequest request);
}
