package io.drover.protocol.wire;

import com.google.protobuf.ByteString;
import io.drover.protocol.proto.RequestHeader;
import io.drover.protocol.proto.ResponseHeader;
import io.drover.protocol.proto.WorkerCommandHeader;
import io.drover.protocol.proto.WorkerEventHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;

/** The four header codecs, each behind a {@link HeaderCodecAdapter}. */
final class HeaderCodecs {
  private HeaderCodecs() {}

  static final HeaderCodecAdapter<RequestHeader> REQUEST =
      new HeaderCodecAdapter<>() {
        @Override
        public String name() {
          return "RequestHeaderCodec";
        }

        @Override
        public RequestHeader defaultInstance() {
          return RequestHeader.getDefaultInstance();
        }

        @Override
        public void decodeOnly(ByteBuf frame) {
          new RequestHeaderCodec().decode(frame);
        }

        @Override
        public RequestHeader decode(ByteBuf frame) {
          RequestHeaderCodec codec = new RequestHeaderCodec();
          codec.decode(frame);
          return RequestHeader.newBuilder()
              .setKindValue(codec.kind())
              .setRequestId(codec.requestId())
              .setTaskTypeBytes(bytes(frame, codec.taskTypeIndex(), codec.taskTypeLength()))
              .setNoRetry(codec.noRetry())
              .setRoutingKeyBytes(bytes(frame, codec.routingKeyIndex(), codec.routingKeyLength()))
              .setPriorityValue(codec.priority())
              .setTimeoutMs(codec.timeoutMs())
              .setTraceparentBytes(bytes(frame, codec.traceparentIndex(), codec.traceparentLength()))
              .build();
        }

        @Override
        public RequestHeader asDecoded(RequestHeader parsed) {
          ByteBuf traceparent = Unpooled.wrappedBuffer(parsed.getTraceparentBytes().toByteArray());
          boolean kept =
              io.drover.protocol.Traceparent.isWellFormed(traceparent, 0, traceparent.readableBytes());
          return kept ? parsed : parsed.toBuilder().clearTraceparent().build();
        }

        @Override
        public void encode(ByteBuf out, RequestHeader h, byte[] body) {
          RequestHeaderCodec.writeFramePrefix(
              out, h.getKindValue(), h.getRequestId(), h.getTaskTypeBytes().toByteArray(),
              h.getNoRetry(), h.getRoutingKeyBytes().toByteArray(), h.getPriorityValue(),
              h.getTimeoutMs(), h.getTraceparentBytes().toByteArray(), body.length);
          out.writeBytes(body);
        }

        @Override
        public int frameSize(RequestHeader h, int bodyBytes) {
          return RequestHeaderCodec.frameSize(
              h.getKindValue(), h.getRequestId(), h.getTaskTypeBytes().toByteArray(),
              h.getNoRetry(), h.getRoutingKeyBytes().toByteArray(), h.getPriorityValue(),
              h.getTimeoutMs(), h.getTraceparentBytes().toByteArray(), bodyBytes);
        }
      };

  static final HeaderCodecAdapter<ResponseHeader> RESPONSE =
      new HeaderCodecAdapter<>() {
        @Override
        public String name() {
          return "ResponseHeaderCodec";
        }

        @Override
        public ResponseHeader defaultInstance() {
          return ResponseHeader.getDefaultInstance();
        }

        @Override
        public void decodeOnly(ByteBuf frame) {
          new ResponseHeaderCodec().decode(frame);
        }

        @Override
        public ResponseHeader decode(ByteBuf frame) {
          ResponseHeaderCodec codec = new ResponseHeaderCodec();
          codec.decode(frame);
          return ResponseHeader.newBuilder()
              .setRequestId(codec.requestId())
              .setStatusValue(codec.status())
              .setMessage(codec.message(frame))
              .setAttempts(codec.attempts())
              .setPartial(codec.partial())
              .setSubtaskIndex(codec.subtaskIndex())
              .build();
        }

        @Override
        public void encode(ByteBuf out, ResponseHeader h, byte[] body) {
          // The message travels from another frame's bytes, as it does in the master.
          ByteBuf source = Unpooled.buffer().writeZero(3).writeBytes(h.getMessageBytes().toByteArray());
          try {
            ResponseHeaderCodec.writeFramePrefix(
                out,
                h.getRequestId(),
                h.getStatusValue(),
                source,
                3,
                h.getMessageBytes().size(),
                h.getAttempts(),
                subtaskIndex(h),
                body.length);
          } finally {
            source.release();
          }
          out.writeBytes(body);
        }

        @Override
        public int frameSize(ResponseHeader h, int bodyBytes) {
          int headerBytes =
              ResponseHeaderCodec.headerSize(
                  h.getRequestId(), h.getStatusValue(), h.getMessageBytes().size(), h.getAttempts(),
                  subtaskIndex(h));
          return FramePrefix.size(headerBytes, bodyBytes) + headerBytes + bodyBytes;
        }
      };

  /** The codec's way of saying "partial frame for subtask i" or "not partial". */
  private static int subtaskIndex(ResponseHeader h) {
    return h.getPartial() ? h.getSubtaskIndex() : ResponseHeaderCodec.NOT_PARTIAL;
  }

  static final HeaderCodecAdapter<WorkerCommandHeader> WORKER_COMMAND =
      new HeaderCodecAdapter<>() {
        @Override
        public String name() {
          return "WorkerCommandCodec";
        }

        @Override
        public WorkerCommandHeader defaultInstance() {
          return WorkerCommandHeader.getDefaultInstance();
        }

        @Override
        public void decodeOnly(ByteBuf frame) {
          new WorkerCommandCodec().decode(frame);
        }

        @Override
        public WorkerCommandHeader decode(ByteBuf frame) {
          WorkerCommandCodec codec = new WorkerCommandCodec();
          codec.decode(frame);
          return WorkerCommandHeader.newBuilder()
              .setKindValue(codec.kind())
              .setTaskId(codec.taskId())
              .setTaskTypeBytes(bytes(frame, codec.taskTypeIndex(), codec.taskTypeLength()))
              .setAttempt(codec.attempt())
              .setTraceparentBytes(bytes(frame, codec.traceparentIndex(), codec.traceparentLength()))
              .setRegionOffset(codec.regionOffset())
              .setRegionLength(codec.regionLength())
              .build();
        }

        @Override
        public void encode(ByteBuf out, WorkerCommandHeader h, byte[] body) {
          WorkerCommandCodec.writeFramePrefix(
              out, h.getKindValue(), h.getTaskId(), h.getTaskTypeBytes().toByteArray(),
              h.getAttempt(), h.getTraceparentBytes().toByteArray(), body.length);
          out.writeBytes(body);
        }

        @Override
        public int frameSize(WorkerCommandHeader h, int bodyBytes) {
          return WorkerCommandCodec.frameSize(
              h.getKindValue(), h.getTaskId(), h.getTaskTypeBytes().toByteArray(), h.getAttempt(),
              h.getTraceparentBytes().toByteArray(), bodyBytes);
        }
      };

  static final HeaderCodecAdapter<WorkerEventHeader> WORKER_EVENT =
      new HeaderCodecAdapter<>() {
        @Override
        public String name() {
          return "WorkerEventCodec";
        }

        @Override
        public WorkerEventHeader defaultInstance() {
          return WorkerEventHeader.getDefaultInstance();
        }

        @Override
        public void decodeOnly(ByteBuf frame) {
          new WorkerEventCodec().decode(frame);
        }

        @Override
        public WorkerEventHeader decode(ByteBuf frame) {
          WorkerEventCodec codec = new WorkerEventCodec();
          codec.decode(frame);
          return WorkerEventHeader.newBuilder()
              .setKindValue(codec.kind())
              .setTaskId(codec.taskId())
              .setStatusValue(codec.status())
              .setMessageBytes(bytes(frame, codec.messageIndex(), codec.messageLength()))
              .setRegionOffset(codec.regionOffset())
              .setRegionLength(codec.regionLength())
              .build();
        }

        @Override
        public void encode(ByteBuf out, WorkerEventHeader h, byte[] body) {
          WorkerEventCodec.writeFramePrefix(
              out, h.getKindValue(), h.getTaskId(), h.getStatusValue(),
              h.getMessageBytes().toByteArray(), body.length);
          out.writeBytes(body);
        }

        @Override
        public int frameSize(WorkerEventHeader h, int bodyBytes) {
          return WorkerEventCodec.frameSize(
              h.getKindValue(), h.getTaskId(), h.getStatusValue(), h.getMessageBytes().toByteArray(),
              bodyBytes);
        }
      };

  static List<HeaderCodecAdapter<?>> all() {
    return List.of(REQUEST, RESPONSE, WORKER_COMMAND, WORKER_EVENT);
  }

  /** Copies {@code length} bytes at absolute {@code index}. */
  static ByteString bytes(ByteBuf buf, int index, int length) {
    return ByteString.copyFrom(ByteBufUtil.getBytes(buf, index, length));
  }
}
