package io.drover.master.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's chromium, headless, driven over the DevTools protocol: one page that a test navigates,
 * evaluates script in and screenshots, while the page keeps running (polling, re-rendering) between
 * calls. Chromium starts helper processes, some detached from it (the crash handler); every one of
 * them has this instance's own directory on its command line (as its profile or, through HOME, its
 * crash database), and {@link #close} kills each by its pid.
 */
public final class HeadlessChromium implements AutoCloseable {
  /** Where Debian installs it ({@code .ci/install-chromium}). */
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final Path home;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();

  private HeadlessChromium(Process process, Path home, WebSocket socket) {
    this.process = process;
    this.home = home;
    this.socket = socket;
  }

  /** Whether chromium is installed. */
  public static boolean installed() {
    return Files.isExecutable(CHROMIUM);
  }

  /** Starts chromium with a blank page of {@code width}×{@code height} CSS pixels, its files under {@code dir}. */
  public static HeadlessChromium start(Path dir, int width, int height) throws Exception {
    Path home = Files.createDirectories(dir.resolve("chromium-" + System.nanoTime()));
    Path profile = Files.createDirectories(home.resolve("profile"));
    ProcessBuilder pb =
        new ProcessBuilder(
                CHROMIUM.toString(),
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-breakpad",
                "--no-first-run",
                "--no-default-browser-check",
                "--hide-scrollbars",
                "--remote-debugging-port=0",
                "--remote-allow-origins=*",
                "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height,
                "about:blank")
            .redirectErrorStream(true)
            .redirectOutput(home.resolve("chromium.log").toFile());
    // Its crash handler keeps its database under HOME: ours, so that it too can be found and stopped.
    pb.environment().put("HOME", home.toString());
    pb.environment().put("XDG_CONFIG_HOME", home.resolve("config").toString());
    pb.environment().put("XDG_CACHE_HOME", home.resolve("cache").toString());
    Process process = pb.start();
    HeadlessChromium started = null;
    try {
      Path portFile = profile.resolve("DevToolsActivePort");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!Files.isRegularFile(portFile) || Files.readAllLines(portFile).size() < 2) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new IOException(
              "chromium did not open its DevTools port (" + (process.isAlive() ? "still running" : "exit " + process.exitValue()) + "): "
                  + Files.readString(home.resolve("chromium.log")));
        }
        process.waitFor(100, TimeUnit.MILLISECONDS);
      }
      int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
      HttpClient http = HttpClient.newHttpClient();
      String page = null;
      for (JsonNode target : JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(), HttpResponse.BodyHandlers.ofString()).body())) {
        if (target.path("type").asText().equals("page")) {
          page = target.path("webSocketDebuggerUrl").asText();
          break;
        }
      }
      if (page == null) {
        throw new IOException("chromium has no page target");
      }
      Listener listener = new Listener();
      WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(page), listener).get(60, TimeUnit.SECONDS);
      started = new HeadlessChromium(process, home, socket);
      listener.owner = started;
      started.call("Runtime.enable", JSON.createObjectNode());
      started.call("Log.enable", JSON.createObjectNode());
      started.call("Page.enable", JSON.createObjectNode());
      return started;
    } finally {
      if (started == null) {
        stopAll(process, home);
      }
    }
  }

  /** Loads {@code url} in the page and waits for its load event. */
  public void navigate(String url) throws Exception {
    ObjectNode params = JSON.createObjectNode().put("url", url);
    JsonNode r = call("Page.navigate", params);
    if (r.hasNonNull("errorText")) {
      throw new IOException("cannot load " + url + ": " + r.get("errorText").asText());
    }
  }

  /** The value of {@code expression} evaluated in the page (JSON-serialisable values only). */
  public JsonNode evaluate(String expression) throws Exception {
    ObjectNode params = JSON.createObjectNode().put("expression", expression).put("returnByValue", true);
    JsonNode r = call("Runtime.evaluate", params);
    if (r.has("exceptionDetails")) {
      throw new IllegalStateException("script failed: " + r.get("exceptionDetails"));
    }
    return r.path("result").path("value");
  }

  /** Moves the mouse pointer to ({@code x}, {@code y}) in CSS pixels of the window. */
  public void mouseMove(double x, double y) throws Exception {
    call("Input.dispatchMouseEvent", JSON.createObjectNode().put("type", "mouseMoved").put("x", x).put("y", y));
  }

  /** Makes the page see {@code prefers-color-scheme: scheme} ({@code light} or {@code dark}). */
  public void colorScheme(String scheme) throws Exception {
    ObjectNode params = JSON.createObjectNode();
    params.putArray("features").addObject().put("name", "prefers-color-scheme").put("value", scheme);
    call("Emulation.setEmulatedMedia", params);
  }

  /** Saves a PNG of the whole page, as wide as the window and as tall as the page, to {@code file}. */
  public void screenshot(Path file) throws Exception {
    JsonNode size = call("Page.getLayoutMetrics", JSON.createObjectNode()).path("cssContentSize");
    ObjectNode params = JSON.createObjectNode().put("format", "png").put("captureBeyondViewport", true);
    params.putObject("clip").put("x", 0).put("y", 0).put("width", size.path("width").asDouble()).put("height", size.path("height").asDouble()).put("scale", 1);
    JsonNode r = call("Page.captureScreenshot", params);
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, Base64.getDecoder().decode(r.get("data").asText()));
  }

  /** Console errors, uncaught exceptions and policy violations the page reported so far. */
  public List<String> problems() {
    return new ArrayList<>(problems);
  }

  private JsonNode call(String method, ObjectNode params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    calls.put(id, answer);
    ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
    message.set("params", params);
    socket.sendText(JSON.writeValueAsString(message), true).get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    try {
      JsonNode reply = answer.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if (reply.has("error")) {
        throw new IOException(method + " failed: " + reply.get("error"));
      }
      return reply.path("result");
    } finally {
      calls.remove(id);
    }
  }

  private void onMessage(String text) {
    JsonNode m;
    try {
      m = JSON.readTree(text);
    } catch (IOException e) {
      problems.add("unreadable DevTools message: " + e);
      return;
    }
    if (m.has("id")) {
      CompletableFuture<JsonNode> call = calls.get(m.get("id").asInt());
      if (call != null) {
        call.complete(m);
      }
      return;
    }
    switch (m.path("method").asText()) {
      case "Log.entryAdded" -> {
        JsonNode e = m.path("params").path("entry");
        if (e.path("level").asText().equals("error")) {
          problems.add("log: " + e.path("text").asText() + " " + e.path("url").asText(""));
        }
      }
      case "Runtime.exceptionThrown" -> problems.add("exception: " + m.path("params").path("exceptionDetails"));
      case "Runtime.consoleAPICalled" -> {
        if (m.path("params").path("type").asText().equals("error")) {
          problems.add("console.error: " + m.path("params").path("args"));
        }
      }
      default -> {}
    }
  }

  /** Closes the DevTools connection and kills chromium and every helper it started. */
  @Override
  public void close() throws InterruptedException {
    socket.abort();
    stopAll(process, home);
  }

  private static void stopAll(Process process, Path home) throws InterruptedException {
    List<ProcessHandle> ours = new ArrayList<>(process.descendants().toList());
    ours.add(process.toHandle());
    // Helpers that left the tree: detached (the crash handler), or re-parented when chromium exited.
    ours.addAll(mentioning(home.toString()));
    ours.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle p : ours) {
      try {
        p.onExit().get(30, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        // Reported below if it is still there.
      }
    }
    List<ProcessHandle> left = mentioning(home.toString());
    if (!left.isEmpty()) {
      left.forEach(ProcessHandle::destroyForcibly);
      throw new IllegalStateException("chromium processes still running after SIGKILL: " + left.stream().map(ProcessHandle::pid).toList());
    }
  }

  /** Live processes whose command line names {@code dir}. */
  private static List<ProcessHandle> mentioning(String dir) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.isAlive() && p.info().commandLine().map(c -> c.contains(dir)).orElse(false))
        .toList();
  }

  /** Joins the frames of each DevTools message and hands it to its chromium. */
  private static final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();
    private final List<String> early = new ArrayList<>();
    volatile HeadlessChromium owner;

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        HeadlessChromium o = owner;
        if (o == null) {
          early.add(text);
        } else {
          early.forEach(o::onMessage);
          early.clear();
          o.onMessage(text);
        }
      }
      webSocket.request(1);
      return null;
    }
  }
}
