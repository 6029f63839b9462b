/**
 * Shared memory between the master and its workers: a region file mapped by both sides ({@link
 * io.drover.protocol.shm.RegionFile}) and the allocator of its blocks ({@link
 * io.drover.protocol.shm.BlockAllocator}). The side that writes a region owns it and allocates in
 * it; the other side only maps it read-only. docs/ARCHITECTURE.md, "Shared memory", has the design.
 */
package io.drover.protocol.shm;
