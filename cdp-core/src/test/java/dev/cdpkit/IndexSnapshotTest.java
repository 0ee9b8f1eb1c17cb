package dev.cdpkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdpkit.testing.ForwardingProfileStore;
import dev.cdpkit.testing.MutableClock;
import dev.cdpkit.testing.SnapshotKeepingStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A {@code Cdp} opening on a store with an index snapshot: restored when it can be, rebuilt from
 * the store when the snapshot is corrupt or of another format, and new segments' aggregates
 * built from the events either way.
 */
class IndexSnapshotTest {
  private static final Instant NOW = Instant.parse("2026-06-30T12:00:00Z");
  private static final Map<String, String> SEGMENTS = Map.of(
      "power", "ltv > 100 and count(\"Feature Used\" where feature = \"A\" within 30d) >= 2",
      "spenders", "sum(\"Order Completed\", total within 7d) > 50 and not has email",
      "any", "plan in (\"pro\", \"free\") or consented \"marketing\" or address.city = \"Oslo\"");
  private final MutableClock clock = new MutableClock(NOW);

  private SnapshotKeepingStore filled() {
    SnapshotKeepingStore store = new SnapshotKeepingStore();
    try (Cdp cdp = Cdp.builder().store(store).clock(clock).build()) {
      for (int u = 0; u < 60; u++) {
        Event.Builder identify = Event.identify().userId("u" + u).trait("ltv", u * 7)
            .trait("plan", u % 3 == 0 ? "pro" : "free").timestamp(NOW.minusSeconds(u));
        if (u % 4 == 0) {
          identify.trait("email", "u" + u + "@example.com")
              .trait("address", Map.of("city", u % 8 == 0 ? "Oslo" : "Bergen"));
        }
        if (u % 5 == 0) {
          identify.consent("marketing", true);
        }
        cdp.ingest(identify.build());
        for (int k = 0; k < u % 4; k++) {
          cdp.ingest(Event.track("Feature Used").userId("u" + u).property("feature", "A")
              .timestamp(NOW.minus(Duration.ofDays(k * 9L))).build());
          cdp.ingest(Event.track("Order Completed").userId("u" + u).property("total", 20 + k)
              .timestamp(NOW.minus(Duration.ofDays(k * 3L))).build());
        }
      }
      SEGMENTS.forEach(cdp::defineSegment);
    }
    assertThat(store.snapshot()).as("the closing Cdp left a snapshot").isPresent();
    return store;
  }

  /** Every segment's members (by user id), now and after the clock moves on. */
  private Map<String, TreeSet<String>> answers(Cdp cdp) {
    Map<String, TreeSet<String>> out = new TreeMap<>();
    for (Duration later : List.of(Duration.ZERO, Duration.ofDays(8), Duration.ofDays(20))) {
      clock.set(NOW.plus(later));
      for (String name : List.of("power", "spenders", "any", "ordering")) {
        cdp.segment(name).ifPresent(s -> {
          TreeSet<String> users = new TreeSet<>();
          s.profiles().forEach(p -> users.addAll(p.identifiers("user_id")));
          out.put(name + " +" + later, users);
        });
      }
    }
    clock.set(NOW);
    return out;
  }

  private Map<String, TreeSet<String>> rebuilt(SnapshotKeepingStore store) {
    try (Cdp cdp = Cdp.builder().store(new ForwardingProfileStore(store) {
      @Override
      public Optional<List<byte[]>> snapshot() {
        return Optional.empty();
      }
    }).clock(clock).build()) {
      return answers(cdp);
    }
  }

  @Test
  void aRestoredCdpAnswersAsARebuiltOne() {
    SnapshotKeepingStore store = filled();
    Map<String, TreeSet<String>> expected = rebuilt(store);
    assertThat(expected.values()).as("not trivially empty").anyMatch(s -> !s.isEmpty());
    int passes = store.fullPasses();
    try (Cdp cdp = Cdp.builder().store(store).clock(clock).build()) {
      assertThat(store.fullPasses()).as("restored, not rebuilt").isEqualTo(passes);
      assertThat(answers(cdp)).isEqualTo(expected);
      cdp.ingest(Event.identify().userId("late").trait("ltv", 1000).timestamp(NOW).build());
      assertThat(store.snapshot()).as("a commit makes the snapshot stale").isEmpty();
    }
  }

  @Test
  void aCorruptSnapshotIsRebuiltFromTheStore() {
    for (UnaryOperator<List<byte[]>> damage : List.<UnaryOperator<List<byte[]>>>of(
        parts -> List.of(parts.get(0), new byte[] {1, 2, 3}), // cut short, then garbage
        parts -> List.of(java.util.Arrays.copyOf(parts.get(0), parts.get(0).length / 2)),
        parts -> List.of(new byte[] {(byte) 0x7e}), // a format from the future
        parts -> List.of())) {
      SnapshotKeepingStore store = filled();
      Map<String, TreeSet<String>> expected = rebuilt(store);
      List<byte[]> damaged = damage.apply(new ArrayList<>(store.snapshot().orElseThrow()));
      try (Cdp cdp = Cdp.builder().store(new ForwardingProfileStore(store) {
        @Override
        public Optional<List<byte[]>> snapshot() {
          return Optional.of(damaged);
        }
      }).clock(clock).build()) {
        assertThat(answers(cdp)).isEqualTo(expected);
      }
    }
  }

  @Test
  void aSegmentDefinedSinceTheSnapshotGetsItsAggregateFromTheEvents() {
    SnapshotKeepingStore store = filled();
    store.putSegment("ordering", "count(\"Order Completed\" within 4d) >= 2");
    Map<String, TreeSet<String>> expected = rebuilt(store);
    assertThat(expected.get("ordering +PT0S")).isNotEmpty();
    try (Cdp cdp = Cdp.builder().store(store).clock(clock).build()) {
      assertThat(answers(cdp)).isEqualTo(expected);
    }
  }
}
