package dev.cdpkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventTest {

  @Test
  void aBuilderUsedAgainDoesNotChangeWhatItBuilt() {
    Event.Builder b = Event.track("Feature Used").userId("u1").property("feature", "A");
    Event first = b.build();
    Event second = b.property("feature", "B").email("x@y.z").trait("plan", "pro")
        .consent("marketing", true).build();
    assertThat(first.properties()).isEqualTo(Map.of("feature", "A"));
    assertThat(first.identifiers()).containsExactly(Identifier.of("user_id", "u1"));
    assertThat(first.traits()).isEmpty();
    assertThat(first.consents()).isEmpty();
    assertThat(second.properties()).isEqualTo(Map.of("feature", "B"));
    assertThat(second.identifiers()).hasSize(2);
  }

  @Test
  void valuesAreCanonicalAndImmutable() {
    Event e = Event.identify().userId("u1").trait("n", 3).trait("d", 1.5f)
        .trait("big", new BigDecimal("12.00")).trait("at", Instant.parse("2026-01-01T00:00:00Z"))
        .trait("tags", List.of("a", "b")).trait("nested", Map.of("k", 1)).build();
    assertThat(e.traits()).containsEntry("n", 3L).containsEntry("d", 1.5d)
        .containsEntry("big", 12L).containsEntry("at", "2026-01-01T00:00:00Z")
        .containsEntry("tags", List.of("a", "b")).containsEntry("nested", Map.of("k", 1L));
    assertThatThrownBy(() -> e.traits().put("x", 1))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void emailAndPhoneTraitsAreIdentifiersExceptOnGroup() {
    Event identify = Event.identify().trait("email", "Jane@X.io").trait("phone", "+1 555 0100")
        .build();
    assertThat(identify.identifiers()).containsExactly(Identifier.of("email", "jane@x.io"),
        Identifier.of("phone", "+15550100"));
    Event group = Event.group("acme").userId("u1").trait("email", "billing@acme.io").build();
    assertThat(group.identifiers()).containsExactly(Identifier.of("user_id", "u1"));
  }

  @Test
  void aliasNeedsAUserIdBesidesItsPreviousId() {
    assertThatThrownBy(() -> Event.alias("old").email("x@y.z").build())
        .hasMessage("an alias event needs a userId (or anonymousId) besides its previousId");
    assertThat(Event.alias("old").userId("new").build().previousId()).hasValue("old");
  }
}
