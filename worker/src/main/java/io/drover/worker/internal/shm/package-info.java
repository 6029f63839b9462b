/**
 * The worker's side of shared memory with the master: its result region ({@link
 * io.drover.worker.internal.shm.ResultRegion}), which handlers' large results are written into.
 * docs/ARCHITECTURE.md, "Shared memory", has the design.
 */
package io.drover.worker.internal.shm;
