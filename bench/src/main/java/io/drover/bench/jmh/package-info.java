/**
 * JMH microbenchmarks of Drover's hot path, run with {@code scripts/drover jmh [JMH options]}.
 *
 * <p>Start with {@link io.drover.bench.jmh.ForwardingAllocationBenchmark}: it drives the master's
 * real {@code Dispatcher} through a whole task (submit, forward to a worker, result back to the
 * client) and, with {@code -prof gc}, shows what the master allocates per task and that the
 * allocation does not grow with the payload. The other classes measure one piece each: framing
 * ({@link io.drover.bench.jmh.FrameCodecBenchmark}), header decoding against the generated
 * protobuf parser ({@link io.drover.bench.jmh.HeaderDecodeBenchmark}) and worker choice ({@link
 * io.drover.bench.jmh.SchedulerPickBenchmark}). {@link io.drover.bench.jmh.Frames} builds the
 * frames they share. See bench/README.md, section "JMH".
 */
package io.drover.bench.jmh;
