package io.drover.worker.internal;

import java.nio.file.Path;

/**
 * A worker's validated configuration.
 *
 * @param socketPath the master's Unix domain socket
 * @param workerId the slot id the master assigned
 * @param capacity how many tasks run at once (the handler pool size)
 * @param maxFrameBytes the master's maximum frame size, which bounds results (and, with header
 *     room, the frames accepted from the master)
 * @param handlers the handlers, by task type
 * @param heartbeatInterval how often a heartbeat is sent to the master
 */
public record WorkerConfig(
    Path socketPath,
    int workerId,
    int capacity,
    int maxFrameBytes,
    HandlerRegistry handlers,
    java.time.Duration heartbeatInterval) {}
