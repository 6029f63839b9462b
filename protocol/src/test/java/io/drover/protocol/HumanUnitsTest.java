package io.drover.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HumanUnitsTest {
  @ParameterizedTest(name = "{0} is written {1}")
  @CsvSource({
    "PT0S, 0 s",
    "PT0.000000250S, 250 ns",
    "PT0.0000015S, 1.5 µs",
    "PT0.5S, 500 ms",
    "PT0.1S, 100 ms",
    "PT0.00125S, 1.25 ms",
    "PT1S, 1 s",
    "PT30S, 30 s",
    "PT6.49S, 6.49 s",
    "PT59.999S, 59.999 s",
    "PT1M, 1 min",
    "PT1M30S, 1 min 30 s",
    "PT1M30.5S, 1 min 30.5 s",
    "PT2H5M, 2 h 5 min",
    "PT1H0.25S, 1 h 0.25 s",
    "PT576H, 24 d",
    "PT596H31M23.647S, 24 d 20 h 31 min 23.647 s",
    "PT-1S, -1 s",
    "PT-0.5S, -500 ms",
  })
  void durationsAreWrittenAsPeopleReadThem(String iso, String expected) {
    assertThat(HumanUnits.duration(Duration.parse(iso))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} is written {1}")
  @CsvSource({
    "0, 0 bytes",
    "1, 1 byte",
    "1023, 1023 bytes",
    "1024, 1 KiB",
    "8192, 8 KiB",
    "1536, 1.5 KiB",
    "16777216, 16 MiB",
    "20000000, 19.1 MiB",
    "1073741824, 1 GiB",
    "3221225472, 3 GiB",
    "1125899906842624, 1 PiB",
    "-2048, -2 KiB",
  })
  void byteSizesAreWrittenInBinaryUnits(long bytes, String expected) {
    assertThat(HumanUnits.bytes(bytes)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} is written {1}")
  @CsvSource({"16777216, 16 MiB (16777216 bytes)", "100, 100 bytes"})
  void limitsAreWrittenBothWays(long bytes, String expected) {
    assertThat(HumanUnits.bytesExactly(bytes)).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void extremeDurationsAreWrittenToo() {
    assertThat(HumanUnits.duration(Duration.ofSeconds(Long.MAX_VALUE))).startsWith("106751991167300 d");
    assertThat(HumanUnits.duration(Duration.ofSeconds(Long.MIN_VALUE))).startsWith("-106751991167300 d");
    assertThat(HumanUnits.millis(Long.MAX_VALUE)).startsWith("106751991167 d");
    assertThat(HumanUnits.nanos(1_500_000_000L)).isEqualTo("1.5 s");
    assertThat(HumanUnits.bytes(Long.MAX_VALUE)).isEqualTo("8 EiB");
  }
}
