package io.drover.master.config;

/**
 * Where a master's settings come from, read again on each reload ({@code SIGHUP}, {@code drover
 * reload}): {@code drover master --config FILE} re-reads its file and command line.
 */
@FunctionalInterface
public interface ConfigSource {
  /**
   * The settings as they are now.
   *
   * @throws IllegalArgumentException when they cannot be used; the message says why, one line per
   *     problem, naming the file, line and key where there is one
   */
  MasterConfig load();
}
