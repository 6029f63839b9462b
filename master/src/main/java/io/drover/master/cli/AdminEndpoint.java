package io.drover.master.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A running master's admin endpoint as the CLI verbs reach it ({@code --admin HOST:PORT}), with
 * the JDK's HTTP client. Every failure is an {@link IOException} whose message is the one line
 * the verb prints: {@code nothing answers at 127.0.0.1:7071 (connection refused); is the master
 * running with its admin endpoint?}.
 */
final class AdminEndpoint {
  /** Where {@code drover master} serves it unless told otherwise. */
  static final String DEFAULT = "127.0.0.1:7071";
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final String host;
  private final int port;

  private AdminEndpoint(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /** {@code HOST:PORT} (an IPv6 host in brackets), or a usage error naming {@code option}. */
  static AdminEndpoint parse(CommandSpec spec, String option, String value) {
    int colon = value.lastIndexOf(':');
    String host = colon > 0 ? value.substring(0, colon) : "";
    int port = -1;
    try {
      port = colon > 0 ? Integer.parseInt(value.substring(colon + 1)) : -1;
    } catch (NumberFormatException e) {
      // Refused below.
    }
    if (host.isEmpty() || port < 1 || port > 65535 || (host.contains(":") && !host.startsWith("["))) {
      throw OptionErrors.badValue(spec, option, value, "HOST:PORT, such as " + DEFAULT);
    }
    return new AdminEndpoint(host, port);
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }

  /** The body of a 200 answer to GET {@code path}. */
  String get(String path) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    HttpRequest request;
    try {
      request = HttpRequest.newBuilder(URI.create("http://" + this + path)).timeout(REQUEST_TIMEOUT).GET().build();
    } catch (IllegalArgumentException e) {
      throw new IOException(this + " is not an address the HTTP client takes: " + e.getMessage(), e);
    }
    HttpResponse<String> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpConnectTimeoutException e) {
      throw nothingAnswers("connection timed out", e);
    } catch (ConnectException e) {
      throw nothingAnswers(e.getMessage() == null ? "connection refused" : e.getMessage().toLowerCase(java.util.Locale.ROOT), e);
    } catch (HttpTimeoutException e) {
      throw new IOException(this + " took no answer within " + REQUEST_TIMEOUT.toSeconds() + " s", e);
    } catch (IOException e) {
      throw new IOException("no answer from " + this + ": " + e.getMessage() + "; is it a Drover master's admin endpoint?", e);
    }
    if (response.statusCode() != 200) {
      String first = response.body().lines().findFirst().orElse("");
      throw new IOException(this + path + " answered " + response.statusCode() + (first.isEmpty() ? "" : ": " + first));
    }
    return response.body();
  }

  /** A POST's answer: its status and body. */
  record Answer(int status, String body) {}

  /** POSTs to {@code path} with the admin {@code token}; any answer is returned, failures to reach it thrown. */
  Answer post(String path, String token) throws IOException, InterruptedException {
    HttpRequest request;
    try {
      request =
          HttpRequest.newBuilder(URI.create("http://" + this + path))
              .timeout(REQUEST_TIMEOUT)
              .header("Authorization", "Bearer " + token)
              .POST(HttpRequest.BodyPublishers.noBody())
              .build();
    } catch (IllegalArgumentException e) {
      throw new IOException(this + " is not an address the HTTP client takes: " + e.getMessage(), e);
    }
    try {
      HttpResponse<String> r =
          HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build().send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Answer(r.statusCode(), r.body());
    } catch (HttpConnectTimeoutException e) {
      throw nothingAnswers("connection timed out", e);
    } catch (ConnectException e) {
      throw nothingAnswers(e.getMessage() == null ? "connection refused" : e.getMessage().toLowerCase(java.util.Locale.ROOT), e);
    } catch (HttpTimeoutException e) {
      throw new IOException(this + " took no answer within " + REQUEST_TIMEOUT.toSeconds() + " s", e);
    }
  }

  private IOException nothingAnswers(String why, Exception cause) {
    return new IOException("nothing answers at " + this + " (" + why + "); is the master running with its admin endpoint?", cause);
  }
}
