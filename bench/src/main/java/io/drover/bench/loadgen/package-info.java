/**
 * The load generator behind {@code scripts/drover bench}. Start reading at {@link
 * io.drover.bench.loadgen.LoadGeneratorCommand} (the options) and {@link
 * io.drover.bench.loadgen.LoadGenerator} (one run: connect, warm up, measure, drain).
 *
 * <p>Everything per task happens on one event loop thread: {@link
 * io.drover.bench.loadgen.LoadConnection} writes pre-encoded requests into one batch buffer per
 * connection and flushes it once per read batch or tick, {@link io.drover.bench.loadgen.InFlightTable}
 * maps request ids to send times without allocating, and {@link
 * io.drover.bench.loadgen.LoadRecorder} owns the HdrHistogram and the counters (single writer, no
 * locks).
 */
package io.drover.bench.loadgen;
