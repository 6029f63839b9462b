/**
 * Logging that cannot stall the event loop: {@link io.drover.master.internal.logging.RateLimitedLog} caps
 * the warnings a peer's bytes can cause, and {@link io.drover.master.internal.logging.LoggingShutdown}
 * drains the asynchronous appender ({@code logback.xml}) before the JVM exits.
 */
package io.drover.master.internal.logging;
