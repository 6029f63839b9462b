/**
 * Who a client connection is: token hashes compared in constant time ({@link
 * io.drover.master.internal.auth.TokenHash}), the lookup of a tenant by token or certificate
 * subject ({@link io.drover.master.internal.auth.TenantDirectory}), and the bitset of task types
 * a tenant may run ({@link io.drover.master.internal.auth.TaskTypeBits}). The dispatcher keeps
 * the tenants' counters and limits; this package only says who is who.
 */
package io.drover.master.internal.auth;
