package io.drover.master.cli;

import io.drover.protocol.FrameLimits;
import io.drover.protocol.HumanUnits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Reads the payload files named on a command line. A file that is missing, unreadable, or larger
 * than a task may carry is a usage error naming the option and the file, found before anything is
 * sent (and before a file of gigabytes is read into memory).
 */
final class PayloadFiles {
  private PayloadFiles() {}

  /** The most payload bytes a request may carry when frames may have {@code maxFrameBytes}. */
  static int maxPayloadBytes(int maxFrameBytes) {
    // The same room for the header as a result keeps: a type, a routing key and a few varints.
    return FrameLimits.maxResultBytes(maxFrameBytes);
  }

  /** {@code file}'s bytes; {@code option} names it in the error when it cannot be sent. */
  static byte[] read(CommandSpec spec, String option, Path file, int maxFrameBytes) {
    try (InputStream in = open(spec, option, file, maxFrameBytes)) {
      return readAtMost(spec, option, file, in, maxFrameBytes);
    } catch (IOException e) {
      throw unreadable(spec, option, file, e);
    }
  }

  /** What remains of {@code in}, refused when it is more than a task may carry. */
  static byte[] readAtMost(CommandSpec spec, String option, Object source, InputStream in, int maxFrameBytes)
      throws IOException {
    int max = maxPayloadBytes(maxFrameBytes);
    byte[] bytes = in.readNBytes(max + 1);
    if (bytes.length > max) {
      throw tooLarge(spec, option, source, "more than " + max + " bytes", maxFrameBytes);
    }
    return bytes;
  }

  /**
   * The usage error for a payload of {@code size} (already in words) that does not fit in a frame:
   * it names the limit and the option that raises it, here and on the master.
   */
  static ParameterException tooLarge(CommandSpec spec, String option, Object source, String size, int maxFrameBytes) {
    return OptionErrors.badValue(
        spec, option, source, size + ", more than a task may carry",
        "at most " + maxPayloadBytes(maxFrameBytes) + " bytes, --max-frame-bytes " + HumanUnits.bytes(maxFrameBytes)
            + " less " + HumanUnits.bytes(FrameLimits.HEADER_HEADROOM_BYTES)
            + " for the header; --max-frame-bytes here and on the master raises it, up to "
            + HumanUnits.bytes(FrameLimits.MAX_MAX_FRAME_BYTES));
  }

  private static InputStream open(CommandSpec spec, String option, Path file, int maxFrameBytes) throws IOException {
    if (Files.isDirectory(file)) {
      throw OptionErrors.badValue(spec, option, file, "is a directory", "a readable file");
    }
    if (Files.isRegularFile(file)) {
      long size = Files.size(file);
      if (size > maxPayloadBytes(maxFrameBytes)) {
        throw tooLarge(spec, option, file, HumanUnits.bytes(size) + " (" + size + " bytes)", maxFrameBytes);
      }
    }
    return Files.newInputStream(file);
  }

  private static ParameterException unreadable(CommandSpec spec, String option, Path file, IOException e) {
    String problem =
        e instanceof NoSuchFileException ? "no such file"
            : e instanceof AccessDeniedException ? "permission denied"
            : String.valueOf(e.getMessage());
    return OptionErrors.badValue(spec, option, file, problem, "a readable file");
  }
}
