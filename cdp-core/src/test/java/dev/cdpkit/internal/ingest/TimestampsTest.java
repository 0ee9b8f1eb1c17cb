package dev.cdpkit.internal.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast timestamp path agrees with {@link Instant#parse} on everything. */
class TimestampsTest {

  @Test
  void agreesWithInstantParseOnGeneratedTimestamps() {
    Random r = new Random(1);
    for (int i = 0; i < 200_000; i++) {
      String s = String.format("%04d-%02d-%02dT%02d:%02d:%02d%s%s", r.nextInt(3000),
          r.nextInt(14), r.nextInt(33), r.nextInt(26), r.nextInt(62), r.nextInt(62),
          fraction(r), zone(r));
      Instant expected;
      try {
        expected = Instant.parse(s);
      } catch (DateTimeException e) {
        String bad = s;
        assertThatThrownBy(() -> Timestamps.parse(bad)).as(s)
            .isInstanceOf(DateTimeException.class);
        continue;
      }
      assertThat(Timestamps.parse(s)).as(s).isEqualTo(expected);
    }
  }

  private static String fraction(Random r) {
    switch (r.nextInt(4)) {
      case 0:
        return "";
      case 1:
        return "." + r.nextInt(1000);
      case 2:
        return String.format(".%09d", r.nextInt(1_000_000_000));
      default:
        return ".";
    }
  }

  private static String zone(Random r) {
    switch (r.nextInt(5)) {
      case 0:
        return "Z";
      case 1:
        return String.format("+%02d:%02d", r.nextInt(20), r.nextInt(61));
      case 2:
        return String.format("-%02d:%02d", r.nextInt(20), r.nextInt(61));
      case 3:
        return "";
      default:
        return "z";
    }
  }

  @Test
  void commonShapes() {
    assertThat(Timestamps.parse("2024-07-18T20:09:12.978Z"))
        .isEqualTo(Instant.parse("2024-07-18T20:09:12.978Z"));
    assertThat(Timestamps.parse("2024-07-18T22:09:12+02:00"))
        .isEqualTo(Instant.parse("2024-07-18T20:09:12Z"));
    assertThat(Timestamps.parse("2024-02-29T00:00:00Z")).isNotNull();
    assertThatThrownBy(() -> Timestamps.parse("2023-02-29T00:00:00Z"))
        .isInstanceOf(DateTimeException.class);
  }
}
