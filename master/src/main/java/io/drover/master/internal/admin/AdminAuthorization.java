package io.drover.master.internal.admin;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Who may do what on the admin endpoint: a request that changes the master (reload, scale,
 * restart) must carry the master's token ({@code Authorization: Bearer TOKEN}); so must every
 * request when the endpoint listens beyond loopback. Tokens are compared in constant time.
 */
public final class AdminAuthorization {
  private final byte[] token;
  private final boolean readsNeedToken;

  /**
   * @param token the secret, as text
   * @param readsNeedToken whether read-only requests need it too (the endpoint is reachable
   *     beyond this host)
   */
  public AdminAuthorization(String token, boolean readsNeedToken) {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("token: empty (expected: a secret)");
    }
    this.token = token.strip().getBytes(StandardCharsets.UTF_8);
    this.readsNeedToken = readsNeedToken;
  }

  /** Whether read-only requests need the token too. */
  public boolean readsNeedToken() {
    return readsNeedToken;
  }

  /**
   * Null when {@code headers} may do it; else the answer: 401 without a token (with {@code
   * WWW-Authenticate}), 403 with a wrong one.
   */
  AdminResponse refusal(HttpHeaders headers, boolean changesTheMaster) {
    if (!changesTheMaster && !readsNeedToken) {
      return null;
    }
    String given = headers.get(HttpHeaderNames.AUTHORIZATION);
    if (given == null || !given.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return AdminResponse.text(
              HttpResponseStatus.UNAUTHORIZED,
              "this request needs the master's admin token: Authorization: Bearer TOKEN (the master wrote it to admin.token"
                  + " in its runtime directory, readable by its user only; the drover CLI on the same host finds it itself)")
          .withHeader(HttpHeaderNames.WWW_AUTHENTICATE.toString(), "Bearer realm=\"drover\"");
    }
    byte[] presented = given.substring(7).strip().getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(presented, token)) {
      return AdminResponse.text(HttpResponseStatus.FORBIDDEN, "wrong admin token: nothing was done");
    }
    return null;
  }
}
