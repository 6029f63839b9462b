package io.drover.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.drover.protocol.frame.MalformedFrameException;
import io.drover.protocol.proto.JobRequest;
import io.drover.protocol.proto.JobResult;
import io.drover.protocol.proto.Status;
import io.drover.protocol.proto.Subtask;
import io.drover.protocol.proto.SubtaskResult;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** {@link JobRequestCodec} and {@link JobResultCodec} against the generated messages. */
class JobCodecTest {

  @Property(tries = 300)
  void decodesWhatProtobufEncodes(@ForAll("requests") JobRequest request) {
    // A few bytes in front, so that indexes are absolute rather than relative to the body.
    ByteBuf buf = Unpooled.buffer().writeZero(7).writeBytes(request.toByteArray());
    buf.readerIndex(7);
    try {
      JobRequestCodec codec = new JobRequestCodec(1_000);
      codec.decode(buf);
      assertThat(buf.readerIndex()).isEqualTo(7);
      assertThat(codec.count()).isEqualTo(request.getSubtasksCount());
      assertThat(codec.stream()).isEqualTo(request.getStream());
      assertThat(text(buf, codec.reduceTypeIndex(), codec.reduceTypeLength()))
          .isEqualTo(request.getReduceType());
      for (int i = 0; i < codec.count(); i++) {
        Subtask s = request.getSubtasks(i);
        assertThat(text(buf, codec.taskTypeIndex(i), codec.taskTypeLength(i))).isEqualTo(s.getTaskType());
        assertThat(text(buf, codec.routingKeyIndex(i), codec.routingKeyLength(i)))
            .isEqualTo(s.getRoutingKey());
        assertThat(ByteBufUtil.getBytes(buf, codec.payloadIndex(i), codec.payloadLength(i)))
            .isEqualTo(s.getPayload().toByteArray());
      }
    } finally {
      buf.release();
    }
  }

  @Property(tries = 300)
  void truncatedRequestsAreMalformedNeverOutOfBounds(
      @ForAll("requests") JobRequest request, @ForAll("cuts") int cut) {
    byte[] bytes = request.toByteArray();
    if (bytes.length == 0) {
      return;
    }
    int length = cut % bytes.length;
    ByteBuf buf = Unpooled.wrappedBuffer(bytes, 0, length);
    try {
      new JobRequestCodec(1_000).decode(buf);
      // Some prefixes are valid requests in their own right (cut between fields).
    } catch (MalformedFrameException expected) {
      // What every invalid prefix must produce.
    } finally {
      buf.release();
    }
  }

  @Test
  void refusesMoreSubtasksThanItsLimit() {
    JobRequest.Builder request = JobRequest.newBuilder();
    for (int i = 0; i < 4; i++) {
      request.addSubtasks(Subtask.newBuilder().setPayload(ByteString.copyFromUtf8("p" + i)));
    }
    ByteBuf buf = Unpooled.wrappedBuffer(request.build().toByteArray());
    try {
      new JobRequestCodec(4).decode(buf);
      assertThatThrownBy(() -> new JobRequestCodec(3).decode(buf))
          .isInstanceOf(MalformedFrameException.class)
          .hasMessageContaining("more than 3 subtasks");
    } finally {
      buf.release();
    }
  }

  @Test
  void writesJobResultsThatProtobufReads() throws Exception {
    List<SubtaskResult> entries =
        List.of(
            SubtaskResult.newBuilder().setStatus(Status.OK).setBody(ByteString.copyFromUtf8("42")).setAttempts(1).build(),
            SubtaskResult.newBuilder().setStatus(Status.HANDLER_ERROR).setMessage("boom ✓").setAttempts(2).build(),
            SubtaskResult.getDefaultInstance(),
            SubtaskResult.newBuilder().setStatusValue(12).setBody(ByteString.copyFrom(new byte[300])).setAttempts(-1).build());
    SubtaskResult reduce = SubtaskResult.newBuilder().setStatus(Status.OK).setBody(ByteString.copyFromUtf8("sum")).build();
    int size = JobResultCodec.entrySize(reduce.getStatusValue(), new byte[0], reduce.getBody().toByteArray(), 0);
    for (SubtaskResult e : entries) {
      size += JobResultCodec.entrySize(e.getStatusValue(), e.getMessageBytes().toByteArray(), e.getBody().toByteArray(), e.getAttempts());
    }
    ByteBuf out = Unpooled.buffer();
    try {
      for (SubtaskResult e : entries) {
        JobResultCodec.writeEntry(
            out, JobResultCodec.SUBTASKS, e.getStatusValue(), e.getMessageBytes().toByteArray(),
            e.getBody().toByteArray(), e.getAttempts());
      }
      JobResultCodec.writeEntry(out, JobResultCodec.REDUCE, 0, new byte[0], reduce.getBody().toByteArray(), 0);
      assertThat(out.readableBytes()).isEqualTo(size);
      JobResult expected = JobResult.newBuilder().addAllSubtasks(entries).setReduce(reduce).build();
      assertThat(JobResult.parseFrom(ByteBufUtil.getBytes(out))).isEqualTo(expected);
      assertThat(ByteBufUtil.getBytes(out)).isEqualTo(expected.toByteArray());
    } finally {
      out.release();
    }
  }

  private static String text(ByteBuf buf, int index, int length) {
    return buf.toString(index, length, StandardCharsets.UTF_8);
  }

  @Provide
  Arbitrary<Integer> cuts() {
    return Arbitraries.integers().between(0, 100_000);
  }

  @Provide
  Arbitrary<JobRequest> requests() {
    Arbitrary<Subtask> subtask =
        Combinators.combine(
                HeaderCodecProperties.texts(),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(200),
                HeaderCodecProperties.texts())
            .as(
                (type, payload, key) ->
                    Subtask.newBuilder()
                        .setTaskTypeBytes(HeaderCodecProperties.utf8(type))
                        .setPayload(ByteString.copyFrom(payload))
                        .setRoutingKeyBytes(HeaderCodecProperties.utf8(key))
                        .build());
    return Combinators.combine(
            subtask.list().ofMaxSize(20), Arbitraries.of(false, true), HeaderCodecProperties.texts())
        .as(
            (subtasks, stream, reduce) ->
                JobRequest.newBuilder()
                    .addAllSubtasks(subtasks)
                    .setStream(stream)
                    .setReduceTypeBytes(HeaderCodecProperties.utf8(reduce))
                    .build());
  }
}
