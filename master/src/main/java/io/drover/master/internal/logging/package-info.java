/**
 * Logging that cannot stall the event loop: {@link io.drover.master.internal.logging.RateLimitedLog} caps
 * the warnings a peer's bytes can cause, and {@link io.drover.master.internal.logging.LoggingShutdown}
 * drains the asynchronous appender ({@code logback.xml}) before the JVM exits. {@link
 * io.drover.master.internal.logging.LogRing} keeps the last lines of the master's log (copied by
 * {@link io.drover.master.internal.logging.LogbackCapture}) and of its workers' output for {@code
 * GET /logs}, shown as {@link io.drover.master.internal.logging.LogLineFormat} says.
 */
package io.drover.master.internal.logging;
