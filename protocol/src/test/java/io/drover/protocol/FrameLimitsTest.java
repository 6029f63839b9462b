package io.drover.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FrameLimitsTest {
  @Test
  void aMasterOrWorkerMaximumMustHoldTheHeaderRoomTwice() {
    assertThatThrownBy(() -> FrameLimits.checkServingMaxFrameBytes(100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxFrameBytes: 100 (expected: >= 8192)");
    assertThatThrownBy(() -> FrameLimits.checkServingMaxFrameBytes(FrameLimits.HEADER_HEADROOM_BYTES))
        .hasMessage("maxFrameBytes: 4096 (expected: >= 8192)");
    assertThatThrownBy(() -> FrameLimits.checkServingMaxFrameBytes((1 << 30) + 1))
        .hasMessage("maxFrameBytes: 1073741825 (expected: <= 1073741824)");
    assertThat(FrameLimits.checkServingMaxFrameBytes(8192)).isEqualTo(8192);
    assertThat(FrameLimits.checkServingMaxFrameBytes(1 << 30)).isEqualTo(1 << 30);
  }

  @Test
  void theLargestMaximumLeavesRoomForAPrefixAndTheHeaderRoomInAnInt() {
    long worst = (long) FrameLimits.MAX_MAX_FRAME_BYTES + 5 + FrameLimits.HEADER_HEADROOM_BYTES;
    assertThat(worst).isLessThanOrEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void aResultMayTakeTheFrameLessTheHeaderRoom() {
    assertThat(FrameLimits.maxResultBytes(65536)).isEqualTo(61440);
    assertThat(FrameLimits.resultTooLargeMessage("big", 100_000, 65536))
        .isEqualTo(
            "the result of 'big' is 100000 bytes, larger than the 61440 bytes a result may have"
                + " (the maximum frame of 65536 bytes less 4096 for headers)");
  }

  @Test
  void aLongMessageIsCutToFitTheHeaderRoom() {
    assertThat(FrameLimits.shortenMessage(null)).isNull();
    assertThat(FrameLimits.shortenMessage("short")).isEqualTo("short");
    String exact = "a".repeat(FrameLimits.MAX_MESSAGE_CHARS);
    assertThat(FrameLimits.shortenMessage(exact)).isSameAs(exact);
    assertThat(FrameLimits.shortenMessage(exact + "b")).isEqualTo(exact + "...");
    // Three UTF-8 bytes per char at most: the cut message always fits in the header room.
    String wide = FrameLimits.shortenMessage("€".repeat(100_000));
    assertThat(wide.getBytes(StandardCharsets.UTF_8).length)
        .isLessThan(FrameLimits.HEADER_HEADROOM_BYTES - 64);
  }

  @Test
  void aCutNeverSplitsASurrogatePair() {
    String emoji = "\uD83D\uDE00"; // one code point, two chars
    String message = "a".repeat(FrameLimits.MAX_MESSAGE_CHARS - 1) + emoji + "tail";
    String cut = FrameLimits.shortenMessage(message);
    assertThat(cut).isEqualTo("a".repeat(FrameLimits.MAX_MESSAGE_CHARS - 1) + "...");
  }

  @Test
  void frameTooLargeNamesTheSizeTheLimitAndTheSettingThatRaisesIt() {
    assertThat(FrameLimits.frameTooLargeMessage("frame", 20_000_000, 16 << 20, "the master's --max-frame-bytes"))
        .isEqualTo(
            "frame of 20000000 bytes (19.1 MiB) exceeds the maximum frame of 16 MiB (16777216 bytes);"
                + " the master's --max-frame-bytes (at most 1 GiB) can raise it");
    assertThat(FrameLimits.frameTooLargeMessage("frame", 3L << 30, 16 << 20, "the master's --max-frame-bytes"))
        .isEqualTo(
            "frame of 3221225472 bytes (3 GiB) exceeds the maximum frame of 16 MiB (16777216 bytes),"
                + " and the master's --max-frame-bytes can raise it to at most 1 GiB (1073741824 bytes)");
  }
}
