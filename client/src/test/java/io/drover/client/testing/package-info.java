/** Test fixtures: a fake master and a JUnit extension that fails tests leaking buffers. */
package io.drover.client.testing;
