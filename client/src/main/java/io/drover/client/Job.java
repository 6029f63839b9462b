package io.drover.client;

import static java.util.Objects.requireNonNull;

import io.drover.protocol.FrameLimits;
import io.drover.protocol.proto.JobRequest;
import io.drover.protocol.proto.Subtask;
import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A scatter/gather job to submit with {@link DroverClient#submitJob}: subtasks the master fans
 * out across its workers, whose results come back together, in the order they were added, with
 * an optional reduce task run on the gathered results.
 *
 * <pre>{@code
 * Job job = Job.builder("wordcount").add(chapter1).add(chapter2).reduce("sum").build();
 * JobOutcome outcome = client.submitJob(job).join();
 * }</pre>
 *
 * <p>Immutable; the payload arrays are copied when the job is built.
 */
public final class Job {
  private final JobRequest request;
  private final String defaultType;
  /** The request encoded, without and with {@code stream}; each made once, on first use. */
  private volatile byte[] encoded;
  private volatile byte[] encodedStreaming;

  private Job(JobRequest request, String defaultType) {
    this.request = request;
    this.defaultType = defaultType;
  }

  /** A job of {@code type} with one subtask per payload. */
  public static Job of(String type, List<byte[]> payloads) {
    Builder b = builder(type);
    payloads.forEach(b::add);
    return b.build();
  }

  /** A builder whose subtasks are of {@code defaultType} unless they name another. */
  public static Builder builder(String defaultType) {
    return new Builder(checkType(requireNonNull(defaultType, "defaultType")));
  }

  /** A builder for subtasks that each name their type. */
  public static Builder builder() {
    return new Builder(null);
  }

  /** Number of subtasks. */
  public int size() {
    return request.getSubtasksCount();
  }

  /** The reduce task type, or {@code null}. */
  public String reduceType() {
    return request.getReduceType().isEmpty() ? null : request.getReduceType();
  }

  /** The subtasks' default type, or {@code null}. */
  public String defaultType() {
    return defaultType;
  }

  /**
   * The JobRequest message this job is sent as (stream unset); not public, so that users need not
   * compile against Drover's generated protobuf classes.
   */
  JobRequest request() {
    return request;
  }

  /**
   * The request's wire bytes, with {@code stream} set or not; encoded once, so that a job
   * submitted many times costs its encoding once. Callers must not modify the array.
   */
  byte[] encoded(boolean stream) {
    byte[] b = stream ? encodedStreaming : encoded;
    if (b == null) {
      b = (stream ? request.toBuilder().setStream(true).build() : request).toByteArray();
      if (stream) {
        encodedStreaming = b;
      } else {
        encoded = b;
      }
    }
    return b;
  }

  @Override
  public String toString() {
    return "Job{" + size() + " subtasks, defaultType=" + defaultType + ", reduce=" + reduceType() + '}';
  }

  private static String checkType(String type) {
    io.drover.client.internal.TaskTypes.check(type);
    return type;
  }

  /** Builds a {@link Job}; not thread-safe. */
  public static final class Builder {
    private final String defaultType;
    private final List<Subtask> subtasks = new ArrayList<>();
    private String reduceType = "";

    private Builder(String defaultType) {
      this.defaultType = defaultType;
    }

    /** Adds a subtask of the default type. */
    public Builder add(byte[] payload) {
      if (defaultType == null) {
        throw new IllegalStateException("this job has no default task type: use add(type, payload)");
      }
      subtasks.add(Subtask.newBuilder().setPayload(ByteString.copyFrom(requireNonNull(payload, "payload"))).build());
      return this;
    }

    /** Adds a subtask of {@code type}. */
    public Builder add(String type, byte[] payload) {
      return add(type, payload, null);
    }

    /**
     * Adds a subtask of {@code type} with a routing key (for the consistent-hash scheduler; may
     * be null).
     */
    public Builder add(String type, byte[] payload, String routingKey) {
      Subtask.Builder s =
          Subtask.newBuilder()
              .setTaskType(checkType(requireNonNull(type, "type")))
              .setPayload(ByteString.copyFrom(requireNonNull(payload, "payload")));
      if (routingKey != null) {
        if (routingKey.getBytes(StandardCharsets.UTF_8).length > FrameLimits.MAX_TASK_TYPE_BYTES) {
          throw new IllegalArgumentException("routingKey: longer than " + FrameLimits.MAX_TASK_TYPE_BYTES + " bytes");
        }
        s.setRoutingKey(routingKey);
      }
      subtasks.add(s.build());
      return this;
    }

    /**
     * Runs {@code type} once every subtask has its result, with the gathered results (a {@code
     * JobResult} message) as its payload; its result becomes the job's ({@link
     * JobOutcome#reduce()}).
     */
    public Builder reduce(String type) {
      reduceType = checkType(requireNonNull(type, "type"));
      return this;
    }

    /** The job. */
    public Job build() {
      return new Job(
          JobRequest.newBuilder().addAllSubtasks(subtasks).setReduceType(reduceType).build(), defaultType);
    }
  }
}
