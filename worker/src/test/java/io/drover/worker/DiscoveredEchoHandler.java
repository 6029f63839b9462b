package io.drover.worker;

/** An echo handler listed in the test {@code META-INF/services}, for discovery tests. */
public final class DiscoveredEchoHandler implements TaskHandler {
  @Override
  public String taskType() {
    return "discovered-echo";
  }

  @Override
  public byte[] handle(TaskContext context, byte[] payload) {
    return payload;
  }
}
