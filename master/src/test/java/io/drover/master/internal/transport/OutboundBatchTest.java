package io.drover.master.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.protocol.testing.LeakDetectionExtension;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakDetectionExtension.class)
class OutboundBatchTest {
  // EmbeddedChannel.write runs its own channel's pending tasks, which would flush mid-turn, so
  // the flusher lives on a loop of its own that the test turns by hand.
  private final EmbeddedChannel loop = new EmbeddedChannel();
  private final EmbeddedChannel channel = new EmbeddedChannel();
  private final BatchFlusher flusher = new BatchFlusher(loop.eventLoop());
  private final OutboundBatch batch = new OutboundBatch(channel, flusher);
  private final List<ByteBuf> toRelease = new ArrayList<>();

  @AfterEach
  void finish() {
    toRelease.forEach(ByteBuf::release);
    channel.finishAndReleaseAll();
    loop.finishAndReleaseAll();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private void writeFrame(String frame) {
    byte[] bytes = ascii(frame);
    batch.reserve(bytes.length).writeBytes(bytes);
  }

  private ByteBuf body(int size, int seed) {
    ByteBuf b = channel.alloc().directBuffer(size);
    for (int i = 0; i < size; i++) {
      b.writeByte(seed + i);
    }
    toRelease.add(b);
    return b;
  }

  /** Reads, copies and releases every buffer written to the channel. */
  private List<byte[]> readAllOutbound() {
    List<byte[]> out = new ArrayList<>();
    for (ByteBuf b; (b = channel.readOutbound()) != null; ) {
      out.add(ByteBufUtil.getBytes(b));
      b.release();
    }
    return out;
  }

  @Test
  void smallFramesOfOneTurnLeaveAsOneBufferInOrder() {
    writeFrame("first;");
    writeFrame("second;");
    batch.appendBody(body(10, 'a'));
    writeFrame("third;");

    loop.runPendingTasks();

    List<byte[]> written = readAllOutbound();
    assertThat(written).hasSize(1);
    assertThat(new String(written.get(0), StandardCharsets.US_ASCII))
        .isEqualTo("first;second;abcdefghijthird;");
  }

  @Test
  void nothingIsWrittenBeforeTheFlusherRuns() {
    writeFrame("pending;");
    batch.appendBody(body(OutboundBatch.COPY_THRESHOLD, 0));
    writeFrame("after;");

    assertThat(channel.outboundMessages()).isEmpty();

    loop.runPendingTasks();
    assertThat(readAllOutbound()).hasSize(3);
  }

  @Test
  void aLargeBodyIsForwardedAsASliceOfTheOriginalInOrder() {
    ByteBuf large = body(OutboundBatch.COPY_THRESHOLD, 7);
    writeFrame("prefix;");
    batch.appendBody(large);
    writeFrame("next;");
    writeFrame("frame;");

    assertThat(large.refCnt()).as("the slice retains the original").isEqualTo(2);
    assertThat(large.readerIndex()).as("appending does not consume the body").isZero();
    // The slice shares the original's memory: a change made now shows in what is written.
    large.setByte(0, 'Z');

    loop.runPendingTasks();

    ByteBuf head = channel.readOutbound();
    ByteBuf slice = channel.readOutbound();
    ByteBuf tail = channel.readOutbound();
    assertThat((Object) channel.readOutbound()).isNull();
    try {
      assertThat(head.toString(StandardCharsets.US_ASCII)).isEqualTo("prefix;");
      assertThat(slice.readableBytes()).isEqualTo(OutboundBatch.COPY_THRESHOLD);
      assertThat(slice.getByte(0)).isEqualTo((byte) 'Z');
      assertThat(ByteBufUtil.equals(slice, large)).isTrue();
      assertThat(tail.toString(StandardCharsets.US_ASCII)).isEqualTo("next;frame;");
    } finally {
      head.release();
      slice.release();
      tail.release();
    }
    assertThat(large.refCnt()).as("releasing the written slice releases its retain").isEqualTo(1);
  }

  @Test
  void aBodyJustBelowTheThresholdIsCopied() {
    ByteBuf small = body(OutboundBatch.COPY_THRESHOLD - 1, 3);
    writeFrame("h;");
    batch.appendBody(small);
    assertThat(small.refCnt()).isEqualTo(1);

    loop.runPendingTasks();

    List<byte[]> written = readAllOutbound();
    assertThat(written).hasSize(1);
    assertThat(written.get(0)).hasSize(2 + OutboundBatch.COPY_THRESHOLD - 1);
    assertThat(Arrays.copyOfRange(written.get(0), 2, written.get(0).length))
        .isEqualTo(ByteBufUtil.getBytes(small));
  }

  @Test
  void aLargeBodyWithNothingBeforeItIsWrittenAlone() {
    ByteBuf large = body(OutboundBatch.COPY_THRESHOLD * 2, 1);
    batch.appendBody(large);

    loop.runPendingTasks();

    List<byte[]> written = readAllOutbound();
    assertThat(written).hasSize(1);
    assertThat(written.get(0)).isEqualTo(ByteBufUtil.getBytes(large));
  }

  @Test
  void framesThatOverflowOneBatchBufferStayInOrder() {
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 3000; i++) {
      String frame = "frame-" + i + ";";
      writeFrame(frame);
      expected.append(frame);
    }

    loop.runPendingTasks();

    List<byte[]> written = readAllOutbound();
    assertThat(written).hasSizeGreaterThan(1);
    StringBuilder actual = new StringBuilder();
    written.forEach(b -> actual.append(new String(b, StandardCharsets.US_ASCII)));
    assertThat(actual.toString()).isEqualTo(expected.toString());
  }

  @Test
  void anEmptyBodyAddsNothing() {
    writeFrame("only;");
    batch.appendBody(body(0, 0));

    loop.runPendingTasks();

    List<byte[]> written = readAllOutbound();
    assertThat(written).hasSize(1);
    assertThat(new String(written.get(0), StandardCharsets.US_ASCII)).isEqualTo("only;");
  }

  @Test
  void oneFlushTaskServesEveryDirtyBatchOfTheTurn() {
    EmbeddedChannel other = new EmbeddedChannel();
    try {
      OutboundBatch otherBatch = new OutboundBatch(other, flusher);
      writeFrame("to-first;");
      otherBatch.reserve(9).writeBytes(ascii("to-other;"));
      writeFrame("again;");

      // One task on the flusher's loop flushes both channels.
      loop.runPendingTasks();

      assertThat(readAllOutbound()).extracting(String::new).containsExactly("to-first;again;");
      ByteBuf b = other.readOutbound();
      assertThat(b.toString(StandardCharsets.US_ASCII)).isEqualTo("to-other;");
      b.release();
    } finally {
      other.finishAndReleaseAll();
    }
  }

  @Test
  void aBatchWrittenAfterAFlushIsFlushedAgain() {
    writeFrame("one;");
    loop.runPendingTasks();
    writeFrame("two;");
    loop.runPendingTasks();

    assertThat(readAllOutbound()).extracting(String::new).containsExactly("one;", "two;");
  }

  @Test
  void discardReleasesAnUnflushedBatch() {
    ByteBuf reserved = batch.reserve(8);
    reserved.writeBytes(ascii("unsent;"));

    batch.discard();

    assertThat(reserved.refCnt()).isZero();
    loop.runPendingTasks(); // the pending flush finds nothing to write
    assertThat(channel.outboundMessages()).isEmpty();
  }
}
