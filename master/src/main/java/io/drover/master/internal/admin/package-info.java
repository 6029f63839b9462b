/**
 * The admin HTTP endpoint: {@code /healthz}, {@code /readyz}, {@code /status}, {@code
 * /status/history} and the status page at {@code /} on a port of its own, served on a one-thread
 * event loop of its own ({@code drover-admin}) so that nothing it does runs on the task path.
 *
 * <p>Start reading at {@link io.drover.master.internal.admin.AdminServer} (the Netty server) and
 * {@link io.drover.master.internal.admin.AdminRoutes} (which path does what). A route never touches
 * task state: it asks its owner (the dispatch loop, the supervisor thread) for an immutable
 * snapshot through {@link io.drover.master.internal.admin.StatusSource} and renders it on the admin
 * loop. {@link io.drover.master.internal.admin.AdminRouter} answers what no route takes (404, 405)
 * and {@link io.drover.master.internal.admin.AdminHttpHandler} what the HTTP codec refuses (400, 414,
 * 431), each with a short text body and never a stack trace.
 */
package io.drover.master.internal.admin;
