package io.drover.bench.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.CodedInputStream;
import io.drover.protocol.frame.FrameDecoder;
import io.drover.protocol.frame.FrameTooLargeException;
import io.drover.protocol.frame.MalformedFrameException;
import io.drover.protocol.proto.RequestHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The frames are what their shapes say, judged by the master's own frame decoder. */
class HostileFramesTest {
  private static final int MAX = 16 * 1024 * 1024;
  private final HostileFrames frames = new HostileFrames(new SplittableRandom(7), MAX);

  /** The frames the master's decoder splits {@code bytes} into (released), or its exception. */
  private static int decodedFrames(byte[] bytes) {
    EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(MAX));
    try {
      ch.writeInbound(Unpooled.wrappedBuffer(bytes));
      int n = 0;
      for (ByteBuf f; (f = ch.readInbound()) != null; f.release()) {
        n++;
      }
      return n;
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void everyShapeThatKeepsTheStreamInSyncIsExactlyOneWholeFrame() {
    for (FrameShape shape : FrameShape.values()) {
      if (shape.ending() != FrameShape.Ending.NONE) {
        continue;
      }
      for (int i = 0; i < 200; i++) {
        assertThat(decodedFrames(frames.next(shape).bytes())).as(shape.name()).isEqualTo(1);
      }
    }
  }

  @Test
  void theShapesThatEndAConnectionBreakFramingAsTheMasterSeesIt() {
    for (int i = 0; i < 50; i++) {
      byte[] huge = frames.next(FrameShape.HUGE_LENGTH).bytes();
      assertThatThrownBy(() -> decodedFrames(huge)).isInstanceOf(FrameTooLargeException.class);
      byte[] bad = frames.next(FrameShape.BAD_PREFIX).bytes();
      assertThatThrownBy(() -> decodedFrames(bad))
          .isInstanceOfAny(MalformedFrameException.class, FrameTooLargeException.class);
      assertThat(decodedFrames(frames.next(FrameShape.HALF_FRAME_THEN_CLOSE).bytes())).isZero();
    }
  }

  @Test
  void anEchoIsAValidSubmitWhoseAnswerIsTracked() throws Exception {
    HostileFrames.Frame echo = frames.next(FrameShape.ECHO);
    assertThat(echo.tracked()).isTrue();
    assertThat(echo.trackedId()).isGreaterThanOrEqualTo(HostileFrames.TRACKED_BASE);
    CodedInputStream in = CodedInputStream.newInstance(echo.bytes());
    in.readRawVarint32();
    RequestHeader header = RequestHeader.parseFrom(in.readRawBytes(in.readRawVarint32()));
    assertThat(header.getTaskType()).isEqualTo("echo");
    assertThat(header.getRequestId()).isEqualTo(echo.trackedId());
    assertThat(in.readRawBytes(echo.expected().length)).isEqualTo(echo.expected());
    assertThat(in.isAtEnd()).isTrue();
  }

  @Test
  void aTruncatedVarintIsNotAValidHeader() {
    for (int i = 0; i < 200; i++) {
      for (FrameShape shape : new FrameShape[] {FrameShape.TRUNCATED_VARINT}) {
        byte[] bytes = frames.next(shape).bytes();
        assertThatThrownBy(() -> {
              CodedInputStream in = CodedInputStream.newInstance(bytes);
              in.readRawVarint32();
              RequestHeader.parseFrom(in.readRawBytes(in.readRawVarint32()));
            })
            .as(shape.name())
            .isInstanceOf(com.google.protobuf.InvalidProtocolBufferException.class);
      }
    }
  }
}
