/**
 * Logging that cannot stall the event loop: {@link io.drover.master.logging.RateLimitedLog} caps
 * the warnings a peer's bytes can cause, and {@link io.drover.master.logging.LoggingShutdown}
 * drains the asynchronous appender ({@code logback.xml}) before the JVM exits.
 */
package io.drover.master.logging;
