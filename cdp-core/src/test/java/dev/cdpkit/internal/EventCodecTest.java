package dev.cdpkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdpkit.Event;
import dev.cdpkit.testing.MessageGenerator;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EventCodecTest {

  @Test
  void generatedEventsRoundTrip() {
    Random r = new Random(3);
    for (int i = 0; i < 5000; i++) {
      Event e = MessageGenerator.message(r, "m" + i);
      assertThat(EventCodec.decode(EventCodec.encode(e))).isEqualTo(e);
    }
  }

  @Test
  void everyValueShapeRoundTrips() {
    Event e = Event.group("acme \u00e9\ud83d\ude00").userId("u\u0000;'--").anonymousId("a1")
        .identifier("salesforce_id", "0031x").trait("n", Long.MIN_VALUE).trait("max", Long.MAX_VALUE)
        .trait("d", -0.0d).trait("nan", Double.NaN).trait("unset", null)
        .trait("list", Arrays.asList(1, "two", 3.5, true, Map.of("k", false)))
        .trait("nested", Map.of("a", Map.of("b", "c"))).consent("marketing", false)
        .consent("analytics", true).timestamp(Instant.parse("1969-12-31T23:59:59.999999999Z"))
        .messageId("m-\ud83d\ude00").source("crm").build();
    Event back = EventCodec.decode(EventCodec.encode(e));
    assertThat(back).isEqualTo(e);
    assertThat(back.traits()).containsKey("unset");
  }
}
