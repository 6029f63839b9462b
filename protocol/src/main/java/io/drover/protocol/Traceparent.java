package io.drover.protocol;

import io.netty.buffer.ByteBuf;

/**
 * The W3C trace context {@code traceparent} a task may carry (<a
 * href="https://www.w3.org/TR/trace-context/">trace-context</a>), version {@code 00}: {@code
 * 00-<32 hex trace id>-<16 hex parent span id>-<2 hex flags>}, 55 characters.
 *
 * <p>Two checks: {@link #isWellFormed(ByteBuf, int, int)}, the master's, looks only at the length,
 * the version and the dashes, so that reading a task stays cheap (the worker does not trust it
 * further than that); {@link #isWellFormed(CharSequence)}, a client's, checks every character as
 * the specification asks of a sender.
 */
public final class Traceparent {
  /** Length of a version 00 traceparent. */
  public static final int LENGTH = 55;

  private static final int TRACE_ID_START = 3;
  private static final int SPAN_ID_START = 36;
  private static final int FLAGS_START = 53;

  private Traceparent() {}

  /**
   * Whether the {@code length} bytes at {@code index} of {@code buf} look like a version 00
   * traceparent: 55 bytes, {@code "00-"} first and dashes where the fields end. The hex digits
   * are not checked.
   */
  public static boolean isWellFormed(ByteBuf buf, int index, int length) {
    return length == LENGTH
        && buf.getByte(index) == '0'
        && buf.getByte(index + 1) == '0'
        && buf.getByte(index + 2) == '-'
        && buf.getByte(index + SPAN_ID_START - 1) == '-'
        && buf.getByte(index + FLAGS_START - 1) == '-';
  }

  /**
   * Whether {@code value} is a valid version 00 traceparent: the layout above in lowercase hex,
   * with a trace id and a parent id that are not all zeros.
   */
  public static boolean isWellFormed(CharSequence value) {
    if (value == null || value.length() != LENGTH || value.charAt(0) != '0' || value.charAt(1) != '0') {
      return false;
    }
    for (int i = 2; i < LENGTH; i++) {
      char c = value.charAt(i);
      boolean dash = i == TRACE_ID_START - 1 || i == SPAN_ID_START - 1 || i == FLAGS_START - 1;
      if (dash ? c != '-' : !isLowerHex(c)) {
        return false;
      }
    }
    return !allZeros(value, TRACE_ID_START, SPAN_ID_START - 1)
        && !allZeros(value, SPAN_ID_START, FLAGS_START - 1);
  }

  /** The 32 hex digits of the trace id of a well-formed {@code traceparent}. */
  public static String traceId(String traceparent) {
    return traceparent.substring(TRACE_ID_START, SPAN_ID_START - 1);
  }

  /** The 16 hex digits of the parent span id of a well-formed {@code traceparent}. */
  public static String spanId(String traceparent) {
    return traceparent.substring(SPAN_ID_START, FLAGS_START - 1);
  }

  /** A version 00 traceparent of these ids (lowercase hex, as the caller gives them) and flags. */
  public static String of(String traceId, String spanId, int flags) {
    String value = "00-" + traceId + '-' + spanId + '-' + (flags < 0x10 ? "0" : "") + Integer.toHexString(flags & 0xFF);
    if (!isWellFormed(value)) {
      throw new IllegalArgumentException("traceparent: '" + value + "' (expected: " + expected() + ")");
    }
    return value;
  }

  /** What a valid traceparent looks like, for error messages. */
  public static String expected() {
    return "00-<32 lowercase hex trace id>-<16 lowercase hex parent id>-<2 hex flags>, ids not all zeros";
  }

  private static boolean isLowerHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  }

  private static boolean allZeros(CharSequence value, int from, int to) {
    for (int i = from; i < to; i++) {
      if (value.charAt(i) != '0') {
        return false;
      }
    }
    return true;
  }
}
