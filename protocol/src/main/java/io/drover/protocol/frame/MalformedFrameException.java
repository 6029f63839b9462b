package io.drover.protocol.frame;

import io.netty.handler.codec.CorruptedFrameException;

/** A frame or header that does not follow the Drover wire format. */
public class MalformedFrameException extends CorruptedFrameException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message saying what was wrong. */
  public MalformedFrameException(String message) {
    super(message);
  }
}
