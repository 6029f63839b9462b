/**
 * The master's side of shared memory with its workers: the payload region it writes large task
 * payloads into ({@link io.drover.master.internal.shm.PayloadRegion}), each payload a {@link
 * io.drover.master.internal.shm.SharedPayload} buffer whose release frees its block. Used on the
 * dispatch event loop only. docs/ARCHITECTURE.md, "Shared memory", has the design.
 */
package io.drover.master.internal.shm;
