/**
 * Zero-downtime upgrades of the master: the running master starts its successor, hands it the
 * listening client and admin sockets over a Unix domain socket (SCM_RIGHTS), waits until the
 * successor's workers are ready, then stops accepting and drains while the successor accepts on
 * the same sockets, so that no connection is ever refused ({@link
 * io.drover.master.internal.upgrade.MasterUpgrade} on the old side, {@link
 * io.drover.master.internal.upgrade.InheritedSockets} on the new). Also the notifications a
 * systemd {@code Type=notify} service sends ({@link io.drover.master.internal.upgrade.SystemdNotifier}),
 * which let systemd follow the main process from the old master to the new.
 */
package io.drover.master.internal.upgrade;
