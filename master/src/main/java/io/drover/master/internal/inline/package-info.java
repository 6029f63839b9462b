/**
 * Inline mode ({@code drover master --inline}): the handlers run inside the master instead of in
 * worker JVMs. It exists to measure what the hop to worker processes costs, and for development;
 * it gives up the isolation that is Drover's point, so a crashing handler takes the master down.
 * {@link io.drover.master.internal.inline.InlineWorker} stands in for a worker behind the same {@link
 * io.drover.master.internal.dispatch.WorkerLink} interface, so the dispatcher's path is unchanged.
 */
package io.drover.master.internal.inline;
