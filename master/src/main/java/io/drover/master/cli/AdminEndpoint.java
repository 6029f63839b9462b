package io.drover.master.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A running master's admin endpoint as the CLI verbs reach it ({@code --admin HOST:PORT}, or
 * {@code --admin https://HOST:PORT} for a master with {@code --admin-tls}), with the JDK's HTTP
 * client. Over HTTPS the endpoint's certificate is checked against the JDK's default CAs, or only
 * the CA certificates in the PEM file {@code $DROVER_ADMIN_CA} when it is set. Every failure is an {@link IOException} whose message is the one line
 * the verb prints: {@code nothing answers at 127.0.0.1:7071 (connection refused); is the master
 * running with its admin endpoint?}.
 */
final class AdminEndpoint {
  /** Where {@code drover master} serves it unless told otherwise. */
  static final String DEFAULT = "127.0.0.1:7071";
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /** The variable naming a PEM file of the CA certificates an HTTPS endpoint is checked against. */
  static final String CA_VARIABLE = "DROVER_ADMIN_CA";

  private final String host;
  private final int port;
  private final boolean https;
  /**
   * One client for every request of a command: {@code drover upgrade} polls {@code /status} for
   * minutes, and a client per request would leave an idle keep-alive connection each until the
   * master's admin connection limit refused the rest.
   */
  private HttpClient client;

  private AdminEndpoint(String host, int port, boolean https) {
    this.host = host;
    this.port = port;
    this.https = https;
  }

  /** {@code HOST:PORT} (an IPv6 host in brackets), or a usage error naming {@code option}. */
  static AdminEndpoint parse(CommandSpec spec, String option, String given) {
    boolean https = given.startsWith("https://");
    String value = given.replaceFirst("^https?://", "").replaceFirst("/$", "");
    int colon = value.lastIndexOf(':');
    String host = colon > 0 ? value.substring(0, colon) : "";
    int port = -1;
    try {
      port = colon > 0 ? Integer.parseInt(value.substring(colon + 1)) : -1;
    } catch (NumberFormatException e) {
      // Refused below.
    }
    if (host.isEmpty() || port < 1 || port > 65535 || (host.contains(":") && !host.startsWith("["))) {
      throw OptionErrors.badValue(spec, option, given, "HOST:PORT or https://HOST:PORT, such as " + DEFAULT);
    }
    return new AdminEndpoint(host, port, https);
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }

  /** The body of a 200 answer to GET {@code path}. */
  String get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response = send(path, HttpRequest.Builder::GET, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (response.statusCode() != 200) {
      throw refused(path, response.statusCode(), response.body());
    }
    return response.body();
  }

  /**
   * Reads the body of a 200 answer to GET {@code path} as it comes, handing each line to {@code
   * lines}; returns when the endpoint ends the body (the master is stopping).
   *
   * @throws IOException when the connection breaks first (the master died), naming the endpoint
   */
  void follow(String path, Consumer<String> lines) throws IOException, InterruptedException {
    HttpResponse<InputStream> response = send(path, HttpRequest.Builder::GET, HttpResponse.BodyHandlers.ofInputStream());
    try (BufferedReader body = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      if (response.statusCode() != 200) {
        throw refused(path, response.statusCode(), body.lines().findFirst().orElse(""));
      }
      try {
        for (String line; (line = body.readLine()) != null; ) {
          lines.accept(line);
        }
      } catch (IOException e) {
        throw new IOException("lost the connection to " + this + " (" + e.getMessage() + "); did the master die?", e);
      }
    }
  }

  private synchronized HttpClient client() throws IOException {
    if (client == null) {
      HttpClient.Builder clientBuilder = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT);
      if (https && System.getenv(CA_VARIABLE) != null) {
        clientBuilder.sslContext(AdminTrust.sslContext(java.nio.file.Path.of(System.getenv(CA_VARIABLE)), CA_VARIABLE));
      }
      client = clientBuilder.build();
    }
    return client;
  }

  /** Sends {@code path} with the method {@code method} sets; failures to reach the endpoint are thrown. */
  private <T> HttpResponse<T> send(
      String path, java.util.function.UnaryOperator<HttpRequest.Builder> method, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    HttpClient client = client();
    HttpRequest request;
    try {
      // The timeout runs until the response's head: a followed body may take as long as it likes.
      request = method.apply(HttpRequest.newBuilder(URI.create((https ? "https://" : "http://") + this + path)).timeout(REQUEST_TIMEOUT)).build();
    } catch (IllegalArgumentException e) {
      throw new IOException(this + " is not an address the HTTP client takes: " + e.getMessage(), e);
    }
    try {
      return client.send(request, handler);
    } catch (HttpConnectTimeoutException e) {
      throw nothingAnswers("connection timed out", e);
    } catch (ConnectException e) {
      throw nothingAnswers(e.getMessage() == null ? "connection refused" : e.getMessage().toLowerCase(java.util.Locale.ROOT), e);
    } catch (HttpTimeoutException e) {
      throw new IOException(this + " took no answer within " + REQUEST_TIMEOUT.toSeconds() + " s", e);
    } catch (javax.net.ssl.SSLException e) {
      throw new IOException(
          "TLS with " + this + " failed: " + e.getMessage()
              + (https ? " (is its CA in $" + CA_VARIABLE + "?)" : ""),
          e);
    } catch (IOException e) {
      throw new IOException(
          "no answer from " + this + ": " + e.getMessage() + "; is it a Drover master's admin endpoint"
              + (https ? "?" : "? (one with --admin-tls takes --admin https://" + this + ")"),
          e);
    }
  }

  private IOException refused(String path, int status, String body) {
    String first = body.lines().findFirst().orElse("");
    return new IOException(this + path + " answered " + status + (first.isEmpty() ? "" : ": " + first));
  }

  /** A POST's answer: its status and body. */
  record Answer(int status, String body) {}

  /** POSTs to {@code path} with the admin {@code token}; any answer is returned, failures to reach it thrown. */
  Answer post(String path, String token) throws IOException, InterruptedException {
    HttpResponse<String> r =
        send(
            path,
            b -> b.header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    return new Answer(r.statusCode(), r.body());
  }

  private IOException nothingAnswers(String why, Exception cause) {
    return new IOException("nothing answers at " + this + " (" + why + "); is the master running with its admin endpoint?", cause);
  }
}
