/**
 * Diagnostic handlers for Drover's own tests and for fault drills: {@link
 * io.drover.diagnostics.CrashHandler} kills its worker JVM, {@link
 * io.drover.diagnostics.HangHandler} blocks its thread, {@link
 * io.drover.diagnostics.PrintHandler} prints its payload on the worker's stdout, {@link
 * io.drover.diagnostics.BigResultHandler} answers a result of any size, {@link
 * io.drover.diagnostics.StubbornHandler} ignores its cancellation, {@link
 * io.drover.diagnostics.ExitAtStartupMain} makes a worker exit before it registers, {@link
 * io.drover.diagnostics.StackTraceAtStartupMain} makes it die with a long stack trace. They live in
 * {@code drover-diagnostics.jar}, apart from the default handler set, and must never be deployed
 * as real handlers.
 */
package io.drover.diagnostics;
