/**
 * Test support shared by every module's tests, published as drover-protocol's test-jar: {@link
 * io.drover.protocol.testing.LeakDetectionExtension} fails any test that leaks a ByteBuf.
 */
package io.drover.protocol.testing;
