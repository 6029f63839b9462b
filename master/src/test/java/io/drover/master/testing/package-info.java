/** Test support: starting real masters with real worker JVMs, raw protocol sockets, leak checks. */
package io.drover.master.testing;
