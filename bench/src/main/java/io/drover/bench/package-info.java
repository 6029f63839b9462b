/**
 * Benchmarks of Drover, shipped as {@code bench/target/drover-bench.jar} and run through {@code
 * scripts/drover bench}, {@code scripts/drover baseline-relay} and {@code scripts/drover jmh}.
 * {@link io.drover.bench.BenchCli} is the jar's main class. Benchmarks are not tests: their
 * numbers go to {@code bench/RESULTS.md}.
 */
package io.drover.bench;
