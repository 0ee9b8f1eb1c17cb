package dev.cdpkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdpkit.segment.SegmentExpr;
import dev.cdpkit.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Segments through the {@code Cdp}: evaluation, definitions, errors, time, merges, threads. */
class SegmentEngineTest {
  private static final Instant NOW = Instant.parse("2026-06-30T12:00:00Z");
  private static final String SEED = """
      ltv > 1000
        and count("Feature Used" where feature = "A" within 90d) > 5
        and count("Feature Used" where feature = "B" within 90d) > 5
        and count("Ticket Created" within 90d) >= 3""";
  private final MutableClock clock = new MutableClock(NOW);
  private final Cdp cdp = Cdp.builder().clock(clock).build();

  private void user(String id, Object ltv, int a, int b, int tickets, Duration ago) {
    cdp.ingest(Event.identify().userId(id).trait("ltv", ltv).timestamp(NOW.minus(ago)).build());
    for (int i = 0; i < a; i++) {
      cdp.ingest(Event.track("Feature Used").userId(id).property("feature", "A")
          .timestamp(NOW.minus(ago).plusSeconds(i)).build());
    }
    for (int i = 0; i < b; i++) {
      cdp.ingest(Event.track("Feature Used").userId(id).property("feature", "B")
          .timestamp(NOW.minus(ago).plusSeconds(i)).build());
    }
    for (int i = 0; i < tickets; i++) {
      cdp.ingest(Event.track("Ticket Created").userId(id).timestamp(NOW.minus(ago).plusSeconds(i))
          .build());
    }
  }

  private Set<String> users(SegmentResult r) {
    return r.profiles().flatMap(p -> p.identifiers("user_id").stream())
        .collect(Collectors.toSet());
  }

  private void seedData() {
    user("ann", 1500, 6, 6, 3, Duration.ofDays(10));   // in
    user("bob", 999.5, 6, 6, 3, Duration.ofDays(10));  // ltv too low
    user("cat", 2000, 6, 5, 3, Duration.ofDays(10));   // too little B
    user("dan", 5000L, 6, 6, 3, Duration.ofDays(100)); // all of it too long ago
    user("eve", "2000", 6, 6, 3, Duration.ofDays(10)); // ltv is a string: never a number
  }

  @Test
  void theSeedQueryFindsExactlyItsAudience() {
    seedData();
    SegmentResult r = cdp.evaluate(SEED);
    assertThat(users(r)).containsExactly("ann");
    assertThat(r.count()).isEqualTo(1);
    assertThat(r.members().getCardinality()).isEqualTo(1);
    assertThat(r.evaluatedAt()).isEqualTo(NOW);
    assertThat(users(cdp.evaluate("not (" + SEED + ")")))
        .containsExactlyInAnyOrder("bob", "cat", "dan", "eve");
  }

  @Test
  void definedSegmentsAreNamedReusableAndCountedPerClause() {
    seedData();
    Segment power = cdp.defineSegment("power", SEED);
    assertThat(power.name()).isEqualTo("power");
    assertThat(power.count()).isEqualTo(1);
    assertThat(power.members().getCardinality()).isEqualTo(1);
    assertThat(power.profiles().map(p -> p.identifiers("user_id")).toList())
        .containsExactly(Set.of("ann"));
    assertThat(cdp.segment("power")).map(Segment::expression).contains(SegmentExpr.parse(SEED));
    assertThat(cdp.segment("nope")).isEmpty();
    cdp.defineSegment("rest", "not in segment \"power\" and ltv is not null");
    assertThat(users(cdp.evaluate("in segment 'rest'")))
        .containsExactlyInAnyOrder("bob", "cat", "dan", "eve");

    List<ClauseCount> counts = power.clauseCounts();
    assertThat(counts).extracting(ClauseCount::alone).containsExactly(3L, 4L, 3L, 4L);
    assertThat(counts).extracting(ClauseCount::kept).containsExactly(3L, 2L, 1L, 1L);
    assertThat(counts.get(0).clause()).isEqualTo("ltv > 1000");

    // a new message changes what the segment holds: bob's ltv goes up
    cdp.ingest(Event.identify().userId("bob").trait("ltv", 1001).timestamp(NOW).build());
    assertThat(power.count()).isEqualTo(2);
  }

  @Test
  void membersAreReadOnlyBitsOfProfiles() {
    seedData();
    SegmentResult r = cdp.evaluate("ltv >= 0");
    assertThat(r.members()).isNotInstanceOf(org.roaringbitmap.buffer.MutableRoaringBitmap.class);
    assertThat(r.count()).isEqualTo(4);
    cdp.ingest(Event.identify().userId("new").trait("ltv", 1).build());
    assertThat(r.count()).as("a result is a snapshot").isEqualTo(4);
    assertThat(cdp.evaluate("ltv >= 0").count()).isEqualTo(5);
  }

  @Test
  void definitionErrorsNameWhatIsWrong() {
    cdp.ingest(Event.track("Order Completed").userId("u").property("currency", "EUR")
        .property("total", 12.5).build());
    assertThatThrownBy(() -> cdp.defineSegment("x", "ltv > 1 and in segment \"churned\""))
        .isInstanceOf(SegmentSyntaxException.class)
        .hasMessageContaining("unknown segment 'churned'")
        .hasMessageContaining("column 24")
        .satisfies(e -> assertThat(((SegmentSyntaxException) e).expected())
            .contains("none is defined yet"));
    cdp.defineSegment("a", "ltv > 1");
    cdp.defineSegment("b", "in segment \"a\"");
    assertThatThrownBy(() -> cdp.defineSegment("a", "in segment \"b\""))
        .isInstanceOf(SegmentSyntaxException.class)
        .hasMessageContaining("segment 'a' would refer to itself: a -> b -> a");
    assertThat(cdp.segment("a").orElseThrow().expression()).isEqualTo(SegmentExpr.parse("ltv > 1"));
    assertThatThrownBy(() -> cdp.defineSegment("a", "in segment \"a\""))
        .hasMessageContaining("a -> a");
    assertThatThrownBy(() -> cdp.evaluate("sum(\"Order Completed\", currency) > 10"))
        .isInstanceOf(SegmentSyntaxException.class)
        .hasMessageContaining("property 'currency' of 'Order Completed' events is never a number")
        .hasMessageContaining("column 24");
    assertThat(cdp.evaluate("sum(\"Order Completed\", total) > 10").count()).isEqualTo(1);
    assertThatThrownBy(() -> cdp.evaluate("count(\"Order Completed\" where has email) > 0"))
        .hasMessageContaining("no meaning for an event's properties");
    assertThatThrownBy(() -> cdp.evaluate("count(\"Order Completed\" where at within 1d) > 0"))
        .hasMessageContaining("give the aggregate its own 'within'");
    assertThatThrownBy(() -> cdp.defineSegment(" ", "ltv > 1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> cdp.defineSegment("c", "ltv >"))
        .isInstanceOf(SegmentSyntaxException.class).hasMessageContaining("line 1, column 6");
    assertThat(cdp.segment("c")).isEmpty();
  }

  @Test
  void windowsSlideWithTheClock() {
    cdp.defineSegment("recent", "count(\"Login\" within 1h) >= 1");
    cdp.ingest(Event.track("Login").userId("ann").timestamp(NOW.minusSeconds(3000)).build());
    cdp.ingest(Event.track("Login").userId("bob").timestamp(NOW.plusSeconds(60)).build());
    Segment recent = cdp.segment("recent").orElseThrow();
    assertThat(users(recent.evaluate())).containsExactly("ann");
    clock.advance(Duration.ofSeconds(60)); // bob's login comes
    assertThat(users(recent.evaluate())).containsExactlyInAnyOrder("ann", "bob");
    clock.set(NOW.minusSeconds(3000).plus(Duration.ofHours(1)).minusMillis(1));
    assertThat(users(recent.evaluate())).containsExactlyInAnyOrder("ann", "bob");
    clock.advance(Duration.ofMillis(1)); // exactly an hour after ann's login: she is out
    assertThat(users(recent.evaluate())).containsExactly("bob");
    clock.set(NOW); // and back
    assertThat(users(recent.evaluate())).containsExactly("ann");
    assertThat(users(cdp.evaluate("count(\"Login\" within 1h) = 0"))).containsExactly("bob");
  }

  @Test
  void eventsLeaveTheWindowOneByOneWithinAMinute() {
    Instant minute = Instant.parse("2026-06-30T10:00:00Z");
    for (int s : new int[] {0, 10, 20}) {
      cdp.ingest(Event.track("Login").userId("ann").timestamp(minute.plusSeconds(s)).build());
    }
    String query = "count(\"Login\" within 1h) >= 1";
    for (int s = 0; s <= 30; s += 5) {
      clock.set(minute.plus(Duration.ofHours(1)).plusSeconds(s));
      assertThat(cdp.evaluate(query).count()).as("%d s past the hour", s).isEqualTo(s < 20 ? 1 : 0);
      assertThat(cdp.evaluate("count(\"Login\" within 1h) = " + (s < 20 ? 2 - s / 10 : 0)).count())
          .as("%d s past the hour", s).isEqualTo(1);
    }
  }

  @Test
  void aBatchIsCountedOnceWhenAMergeInItMovesEvents() {
    cdp.defineSegment("busy", "count(\"E\") = 3");
    String batch = """
        {"batch": [
          {"type": "track", "event": "E", "anonymousId": "a1", "messageId": "1",
           "timestamp": "2026-06-30T10:00:10Z"},
          {"type": "track", "event": "E", "userId": "u1", "messageId": "2",
           "timestamp": "2026-06-30T10:00:20Z"},
          {"type": "identify", "userId": "u1", "anonymousId": "a1", "messageId": "3",
           "timestamp": "2026-06-30T10:00:25Z"},
          {"type": "track", "event": "E", "userId": "u1", "messageId": "4",
           "timestamp": "2026-06-30T10:00:30Z"}]}""";
    assertThat(cdp.ingestJson(batch).errors()).isEmpty();
    assertThat(cdp.profileCount()).isEqualTo(1);
    assertThat(cdp.evaluate("count(\"E\") = 3").count()).isEqualTo(1);
    assertThat(cdp.segment("busy").orElseThrow().count()).isEqualTo(1);
  }

  @Test
  void mergesMoveEventsAndTraitsIntoOneProfile() {
    cdp.defineSegment("busy", "count(\"Feature Used\") >= 2 and plan = 'pro'");
    cdp.ingest(Event.track("Feature Used").anonymousId("web-1").timestamp(NOW.minusSeconds(9))
        .build());
    cdp.ingest(Event.track("Feature Used").userId("ann").timestamp(NOW.minusSeconds(8)).build());
    cdp.ingest(Event.identify().userId("ann").trait("plan", "pro").timestamp(NOW.minusSeconds(7))
        .build());
    assertThat(cdp.segment("busy").orElseThrow().count()).isZero();
    cdp.ingest(Event.identify().userId("ann").anonymousId("web-1").timestamp(NOW.minusSeconds(6))
        .build());
    assertThat(users(cdp.segment("busy").orElseThrow().evaluate())).containsExactly("ann");
    assertThat(cdp.evaluate("plan is null").count()).isZero();
  }

  @Test
  void accountTraitsHoldWhenAnyAccountMatches() {
    cdp.ingest(Event.group("big").userId("ann").trait("arr", 200_000).build());
    cdp.ingest(Event.group("small").userId("ann").trait("arr", 10).build());
    cdp.ingest(Event.group("small").userId("bob").build());
    cdp.ingest(Event.identify().userId("cat").build());
    assertThat(users(cdp.evaluate("account.arr >= 100000"))).containsExactly("ann");
    assertThat(users(cdp.evaluate("account.arr < 100"))).containsExactlyInAnyOrder("ann", "bob");
    assertThat(users(cdp.evaluate("not account.arr >= 100000")))
        .containsExactlyInAnyOrder("bob", "cat");
    cdp.ingest(Event.group("big").userId("big-admin").trait("arr", 50)
        .timestamp(NOW.plusSeconds(1)).build()); // arr drops
    assertThat(users(cdp.evaluate("account.arr >= 100000"))).isEmpty();
  }

  @Test
  void identifierTypesAndConsent() {
    cdp.ingest(Event.identify().userId("ann").email("ann@x.io").consent("marketing", true).build());
    cdp.ingest(Event.identify().userId("bob").consent("marketing", false).build());
    assertThat(users(cdp.evaluate("has email"))).containsExactly("ann");
    assertThat(users(cdp.evaluate("consented \"marketing\""))).containsExactly("ann");
    cdp.ingest(Event.identify().userId("ann").consent("marketing", false)
        .timestamp(NOW.plusSeconds(1)).build());
    assertThat(cdp.evaluate("consented \"marketing\"").count()).isZero();
  }

  @Test
  void readersSeeEachMessageWholeWhileOthersIngest() throws Exception {
    cdp.defineSegment("counted", "count(\"Visit\") >= 1");
    AtomicBoolean done = new AtomicBoolean();
    List<String> problems = new ArrayList<>();
    Thread reader = new Thread(() -> {
      long last = 0;
      while (!done.get()) {
        // each message both identifies a new user and counts one visit: never one without the other
        long half = cdp.evaluate("has user_id and not in segment \"counted\"").count();
        long all = cdp.evaluate("in segment \"counted\"").count();
        if (half != 0 || all < last) {
          problems.add("half-applied: " + half + ", count went from " + last + " to " + all);
        }
        last = all;
      }
    });
    reader.start();
    Thread[] writers = new Thread[2];
    for (int w = 0; w < writers.length; w++) {
      int id = w;
      writers[w] = new Thread(() -> {
        for (int i = 0; i < 1500; i++) {
          cdp.ingest(Event.track("Visit").userId("w" + id + "-" + i).build());
        }
      });
      writers[w].start();
    }
    for (Thread t : writers) {
      t.join();
    }
    done.set(true);
    reader.join();
    assertThat(problems).isEmpty();
    assertThat(cdp.evaluate("in segment \"counted\"").count()).isEqualTo(3000);
  }
}
