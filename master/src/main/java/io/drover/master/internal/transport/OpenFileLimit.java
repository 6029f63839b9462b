package io.drover.master.internal.transport;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares {@code max-connections} with the open files the process may have: a limit the kernel
 * reaches first turns refusals with a clear answer into failed accepts ({@code EMFILE}) that every
 * client, and every worker, feels. Warns rather than refuses, since the default limit would
 * otherwise stop masters on machines that never see that many clients.
 */
final class OpenFileLimit {
  private static final Logger log = LoggerFactory.getLogger(OpenFileLimit.class);
  /** Files the master needs besides client connections: jars, sockets, workers' pipes, logs. */
  static final int RESERVED = 256;

  private OpenFileLimit() {}

  /** Warns when {@code maxConnections} and the reserve do not fit the open-file limit. */
  static void check(int maxConnections) {
    long limit = limit();
    String problem = problem(maxConnections, limit);
    if (problem != null) {
      log.warn("{}", problem);
    }
  }

  /** What is wrong with {@code maxConnections} under {@code limit} open files, or null. */
  static String problem(int maxConnections, long limit) {
    if (limit <= 0 || (long) maxConnections + RESERVED <= limit) {
      return null;
    }
    return "--max-connections " + maxConnections + " is more than this process's open-file limit allows ("
        + limit + ", of which the master keeps " + RESERVED + " for itself): past "
        + Math.max(0, limit - RESERVED) + " connections accepts fail instead of being refused;"
        + " raise the limit (ulimit -n, LimitNOFILE=) or lower --max-connections";
  }

  /** The process's open-file limit, or -1 where the JVM does not tell. */
  static long limit() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : -1;
  }
}
