package io.drover.client.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * Encodes requests into as few buffers as possible: frames are appended to one pooled buffer of
 * {@value #CHUNK_BYTES} bytes (larger for a larger frame), which is written when full; {@link
 * #flush()} writes the rest and flushes once. Every buffer in a channel's outbound buffer costs
 * bookkeeping and an iovec, so one buffer per few thousand small frames is far cheaper than one
 * per frame. Used only on the event loop. (The master's writes have their own batch, {@code
 * OutboundBatch}; the two share no code because the client never forwards a payload slice.)
 */
final class ClientWriteBatch {
  static final int CHUNK_BYTES = 64 * 1024;

  private final ChannelHandlerContext ctx;
  private final byte[] scratch = new byte[io.drover.protocol.wire.RequestHeaderCodec.MAX_PREFIX_SCRATCH];
  /**
   * The header fields after the request id of the last task type written without options: nearly
   * every task shares them, so they are encoded once, not once per task.
   */
  private byte[] plainType;
  private byte[] plainFields;
  private ByteBuf buf;
  private boolean unflushed;

  ClientWriteBatch(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  /** Appends {@code task}'s frame; the task's id must be set. */
  void append(PendingTask<?> task) {
    byte[] fields = fieldsAfterId(task);
    int size = task.frameSize(fields);
    if (buf != null && buf.writableBytes() < size) {
      writeOut();
    }
    if (buf == null) {
      buf = ctx.alloc().ioBuffer(Math.max(CHUNK_BYTES, size));
    }
    task.encode(buf, scratch, fields);
  }

  private byte[] fieldsAfterId(PendingTask<?> task) {
    if (!task.plainHeader()) {
      return task.encodeFieldsAfterId(); // options are rare: no cache for them
    }
    if (task.taskType != plainType) { // TaskTypes hands out one array per type
      plainType = task.taskType;
      plainFields = task.encodeFieldsAfterId();
    }
    return plainFields;
  }

  /** Appends a CANCEL frame for request {@code id}. */
  void appendCancel(long id) {
    int kind = io.drover.protocol.wire.RequestHeaderCodec.KIND_CANCEL;
    byte[] none = io.drover.protocol.wire.ProtoWire.EMPTY;
    int size = io.drover.protocol.wire.RequestHeaderCodec.frameSize(kind, id, none, 0);
    if (buf != null && buf.writableBytes() < size) {
      writeOut();
    }
    if (buf == null) {
      buf = ctx.alloc().ioBuffer(Math.max(CHUNK_BYTES, size));
    }
    io.drover.protocol.wire.RequestHeaderCodec.writeFramePrefix(buf, kind, id, none, 0);
  }

  /** Writes what was appended and flushes the channel if anything was written since the last flush. */
  void flush() {
    if (buf != null) {
      writeOut();
    }
    if (unflushed) {
      unflushed = false;
      ctx.flush();
    }
  }

  /** Releases what was appended and not yet written. */
  void discard() {
    if (buf != null) {
      buf.release();
      buf = null;
    }
  }

  private void writeOut() {
    ByteBuf b = buf;
    buf = null;
    if (b.isReadable()) {
      ctx.write(b, ctx.voidPromise());
      unflushed = true;
    } else {
      b.release();
    }
  }
}
