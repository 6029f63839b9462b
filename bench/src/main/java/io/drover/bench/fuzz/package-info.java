/**
 * A fuzzing harness for a running master's client port: {@link io.drover.bench.fuzz.FuzzRun}
 * opens many connections that send random and mutated frames ({@link
 * io.drover.bench.fuzz.HostileFrames}) while a bystander client runs ordinary tasks, and checks
 * every answer and every close against PROTOCOL.md ({@link io.drover.bench.fuzz.FuzzTally} counts
 * what breaks it). {@code drover-bench fuzz} runs it from the command line and {@code
 * scripts/bench-fuzz} around a master started with paranoid leak detection.
 */
package io.drover.bench.fuzz;
