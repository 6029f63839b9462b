package io.drover.master.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.protocol.proto.Status;
import io.drover.protocol.wire.RequestHeaderCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/**
 * A task that waits holds no more memory than the queue bound counts: a payload that is a small
 * slice of a large read buffer is copied by the master's once-a-second sweep ({@link
 * Dispatcher#compactWaitingPayloads}), so the read buffer can be freed.
 */
class QueueMemoryTest extends DispatcherHarness {
  private static final int READ_BUFFER = 64 * 1024;

  /** A SUBMIT frame written into a 64 KiB buffer, as one frame of a large read, sliced out of it. */
  private ByteBuf frameInALargeRead(ByteBuf read, long requestId, byte[] payload) {
    int start = read.writerIndex();
    RequestHeaderCodec.writeFrame(read, RequestHeaderCodec.KIND_SUBMIT, requestId, bytes("echo"), payload);
    return read.retainedSlice(start, read.writerIndex() - start);
  }

  @Test
  void aSmallPayloadThatWaitsNoLongerPinsTheBufferItWasReadIntoAfterTheSweep() {
    dispatcher = newDispatcher(1);
    Worker w = connectWorker(1, 1, "echo");
    Client c = connectClient();
    ByteBuf read = PooledByteBufAllocator.DEFAULT.directBuffer(READ_BUFFER, READ_BUFFER);
    deliver(c, "echo", frameInALargeRead(read, 1, bytes("runs")));
    deliver(c, "echo", frameInALargeRead(read, 2, bytes("waits")));
    read.release(); // the decoder is done with the read

    assertThat(dispatcher.queued()).isEqualTo(1);
    assertThat(read.refCnt()).as("both tasks' slices hold the read buffer until the sweep").isEqualTo(2);
    assertThat(dispatcher.compactWaitingPayloads()).isEqualTo(1);
    assertThat(read.refCnt()).as("only the running task's slice holds the read buffer").isEqualTo(1);
    Sent running = single(tasksSentTo(w));
    result(w, running.taskId, Status.OK_VALUE, "", running.payload);
    assertThat(read.refCnt()).as("nothing holds it once the running task is done").isZero();

    Sent waited = single(tasksSentTo(w));
    assertThat(waited.payload).as("the copy carries the same payload").isEqualTo(bytes("waits"));
    result(w, waited.taskId, Status.OK_VALUE, "", waited.payload);
    assertThat(responsesTo(c)).extracting(r -> r.requestId).containsExactly(1L, 2L);
  }

  @Test
  void aPayloadSentStraightToAWorkerIsNotCopied() {
    Worker w = connectWorker(1, 4, "echo");
    Client c = connectClient();
    ByteBuf read = PooledByteBufAllocator.DEFAULT.directBuffer(READ_BUFFER, READ_BUFFER);
    deliver(c, "echo", frameInALargeRead(read, 1, bytes("straight through")));
    read.release();
    assertThat(read.refCnt()).as("the in-flight task holds its slice").isEqualTo(1);
    Sent sent = single(tasksSentTo(w));
    result(w, sent.taskId, Status.OK_VALUE, "", sent.payload);
    assertThat(read.refCnt()).isZero();
  }

  @Test
  void aPayloadThatFillsItsBufferIsQueuedAsItIs() {
    dispatcher = newDispatcher(1);
    Worker w = connectWorker(1, 1, "echo");
    Client c = connectClient();
    submit(c, 1, "echo", bytes("runs"));
    ByteBuf read = PooledByteBufAllocator.DEFAULT.directBuffer(READ_BUFFER, READ_BUFFER);
    deliver(c, "echo", frameInALargeRead(read, 2, new byte[READ_BUFFER - 64]));
    read.release();
    assertThat(dispatcher.compactWaitingPayloads()).isZero();
    assertThat(read.refCnt()).as("a large payload is not copied to be queued").isEqualTo(1);
    Sent running = single(tasksSentTo(w));
    result(w, running.taskId, Status.OK_VALUE, "", running.payload);
    Sent waited = single(tasksSentTo(w));
    result(w, waited.taskId, Status.OK_VALUE, "", bytes(""));
    assertThat(read.refCnt()).isZero();
  }
}
