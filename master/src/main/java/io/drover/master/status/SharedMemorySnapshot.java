package io.drover.master.status;

/**
 * The master's shared-memory payload region at one moment (docs/ARCHITECTURE.md, "Shared
 * memory").
 *
 * @param regionBytes the region's size ({@code --shm-mib})
 * @param usedBytes bytes in blocks held by tasks now (whole 4 KiB units)
 * @param blocks blocks held by tasks now: each is one task's payload, on a worker or waiting for a
 *     retry
 * @param payloadsShared payloads copied into the region since the master started
 * @param fallbacks payloads above the threshold sent through the socket because the region was
 *     full
 * @param resultsShared results workers returned through their result regions
 */
public record SharedMemorySnapshot(
    long regionBytes, long usedBytes, int blocks, long payloadsShared, long fallbacks, long resultsShared) {}
