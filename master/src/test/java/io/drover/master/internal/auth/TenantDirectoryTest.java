package io.drover.master.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;

class TenantDirectoryTest {
  private static ByteBuf bytes(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
  }

  private static String byToken(TenantDirectory<String> d, String token) {
    ByteBuf b = bytes(token);
    try {
      return d.byToken(b, b.readerIndex(), b.readableBytes());
    } finally {
      b.release();
    }
  }

  @Test
  void aTokenIsFoundByItsSha256AndNothingElseIs() {
    TenantDirectory<String> d =
        new TenantDirectory<String>().token(TokenHash.hex("alpha-token"), "alpha").token(TokenHash.hex("beta-token"), "beta");
    assertThat(byToken(d, "alpha-token")).isEqualTo("alpha");
    assertThat(byToken(d, "beta-token")).isEqualTo("beta");
    assertThat(byToken(d, "alpha-toke")).isNull();
    assertThat(byToken(d, "alpha-token ")).isNull();
    assertThat(byToken(d, "")).isNull();
    assertThat(byToken(d, TokenHash.hex("alpha-token"))).as("the hash is not the token").isNull();
  }

  @Test
  void aTokenInsideALargerBufferIsHashedFromItsRangeOnly() {
    TenantDirectory<String> d = new TenantDirectory<String>().token(TokenHash.hex("tok"), "t");
    ByteBuf b = Unpooled.directBuffer().writeBytes("xxtokyy".getBytes(StandardCharsets.US_ASCII));
    try {
      assertThat(d.byToken(b, 2, 3)).isEqualTo("t");
    } finally {
      b.release();
    }
  }

  @Test
  void certificateSubjectsCompareAsDistinguishedNames() {
    TenantDirectory<String> d = new TenantDirectory<String>().certificateSubject("CN=analytics,O=Example", "analytics");
    assertThat(d.hasCertificateTenants()).isTrue();
    assertThat(d.byCertificate(new X500Principal("cn=analytics, o=Example"))).isEqualTo("analytics");
    assertThat(d.byCertificate(new X500Principal("CN=analytics"))).isNull();
  }

  @Test
  void hashesMatchInConstantTimeAndGeneratedTokensAreLongAndDistinct() {
    assertThat(TokenHash.matches(TokenHash.of("a"), TokenHash.of("a"))).isTrue();
    assertThat(TokenHash.matches(TokenHash.of("a"), TokenHash.of("b"))).isFalse();
    assertThat(TokenHash.hex("test")).isEqualTo("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
    String t = TokenHash.newToken();
    assertThat(t).hasSize(43).matches("[A-Za-z0-9_-]+").isNotEqualTo(TokenHash.newToken());
  }
}
