package io.drover.protocol.frame;

import io.drover.protocol.HumanUnits;
import io.netty.handler.codec.TooLongFrameException;

/** A frame whose declared length exceeds the receiver's maximum. */
public final class FrameTooLargeException extends TooLongFrameException {
  private static final long serialVersionUID = 1L;

  private final long frameBytes;
  private final int maxFrameBytes;

  /** Creates an exception for a frame of {@code frameBytes} against a limit of {@code maxFrameBytes}. */
  public FrameTooLargeException(long frameBytes, int maxFrameBytes) {
    super(
        "frame of " + frameBytes + " bytes (" + HumanUnits.bytes(frameBytes) + ") exceeds the maximum of "
            + HumanUnits.bytesExactly(maxFrameBytes));
    this.frameBytes = frameBytes;
    this.maxFrameBytes = maxFrameBytes;
  }

  /** The length the frame's prefix declared. */
  public long frameBytes() {
    return frameBytes;
  }

  /** The limit it exceeded. */
  public int maxFrameBytes() {
    return maxFrameBytes;
  }
}
