package dev.cdpkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdpkit.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

/** Membership changes: told once per real change, by messages, merges and time. */
class LiveSegmentsTest {
  private static final Instant NOW = Instant.parse("2026-06-30T12:00:00Z");
  private final MutableClock clock = new MutableClock(NOW);
  private final Cdp cdp = Cdp.builder().clock(clock).build();
  private final List<String> told = new ArrayList<>();

  private void listen() {
    cdp.onMembershipChange(c -> told.add(c.segment() + (c.entered() ? " +" : " -")
        + cdp.profile(c.profileId()).filter(p -> p.id().equals(c.profileId()))
            .map(p -> String.join(",", p.identifiers("user_id")))
            .orElse(c.profileId().value())));
  }

  private List<String> drain() {
    List<String> out = new ArrayList<>(told);
    told.clear();
    return out;
  }

  @Test
  void messagesMoveProfilesInAndOutOnceEach() {
    listen();
    cdp.defineSegment("rich", "ltv > 100");
    cdp.ingest(Event.identify().userId("ann").trait("ltv", 200).build());
    assertThat(drain()).containsExactly("rich +ann");
    clock.advance(Duration.ofSeconds(1)); // in order: a same-instant message may sort first
    cdp.ingest(Event.identify().userId("ann").trait("ltv", 300).build());
    clock.advance(Duration.ofSeconds(1));
    cdp.ingest(Event.track("Page Viewed").userId("ann").build());
    assertThat(drain()).as("still in: nothing to tell").isEmpty();
    clock.advance(Duration.ofSeconds(1));
    cdp.ingest(Event.identify().userId("ann").trait("ltv", 50).build());
    assertThat(cdp.segment("rich").orElseThrow().count()).isZero();
    assertThat(drain()).containsExactly("rich -ann");
  }

  @Test
  void aNewSegmentTellsItsMembersAndARedefinitionItsDifference() {
    cdp.ingest(Event.identify().userId("ann").trait("ltv", 200).build());
    cdp.ingest(Event.identify().userId("bob").trait("ltv", 20).build());
    listen();
    cdp.defineSegment("rich", "ltv > 100");
    assertThat(drain()).containsExactly("rich +ann");
    cdp.defineSegment("some", "in segment \"rich\" or ltv < 30");
    assertThat(drain()).containsExactlyInAnyOrder("some +ann", "some +bob");
    cdp.defineSegment("rich", "ltv > 10");
    assertThat(drain()).containsExactly("rich +bob");
  }

  @Test
  void aMergeTellsTheMergedAwayProfileLeaving() {
    cdp.ingest(Event.identify().anonymousId("a1").trait("ltv", 200).build());
    cdp.ingest(Event.identify().userId("ann").trait("plan", "pro").build());
    listen();
    cdp.defineSegment("rich", "ltv > 100");
    cdp.defineSegment("pro", "plan = \"pro\"");
    drain();
    ProfileId anonymous = cdp.profile(Identifier.of("anonymous_id", "a1")).orElseThrow().id();
    cdp.ingest(Event.alias("a1").userId("ann").build());
    Profile merged = cdp.profile(Identifier.of("user_id", "ann")).orElseThrow();
    List<String> changes = drain();
    assertThat(cdp.segment("rich").orElseThrow().count()).isEqualTo(1);
    assertThat(cdp.segment("pro").orElseThrow().count()).isEqualTo(1);
    // whichever id survived, one left and the survivor is in both
    ProfileId gone = merged.id().equals(anonymous) ? null : anonymous;
    if (gone != null) {
      assertThat(changes).contains("rich -" + gone.value(), "rich +ann");
    } else {
      assertThat(changes).contains("pro +ann");
    }
  }

  @Test
  void theClockSlidesWindowsAndTickKnowsWhenTheNextChangeIs() {
    listen();
    cdp.defineSegment("active", "count(\"Feature Used\" within 1d) >= 1");
    cdp.ingest(Event.track("Feature Used").userId("ann").timestamp(NOW.minus(Duration.ofHours(23)))
        .build());
    cdp.ingest(Event.track("Feature Used").userId("bob").timestamp(NOW.plus(Duration.ofHours(5)))
        .build()); // from the future: enters when the clock gets there
    assertThat(drain()).containsExactly("active +ann");
    Instant annLeaves = NOW.plus(Duration.ofHours(1));
    assertThat(cdp.tick()).hasValue(annLeaves);
    assertThat(drain()).isEmpty();
    clock.set(annLeaves.minusMillis(1));
    assertThat(cdp.tick()).hasValue(annLeaves);
    assertThat(drain()).isEmpty();
    clock.set(annLeaves);
    assertThat(cdp.tick()).hasValue(NOW.plus(Duration.ofHours(5)));
    assertThat(drain()).containsExactly("active -ann");
    clock.set(NOW.plus(Duration.ofHours(5)));
    assertThat(cdp.tick()).hasValue(NOW.plus(Duration.ofHours(29)));
    assertThat(drain()).containsExactly("active +bob");
    clock.set(NOW.plus(Duration.ofDays(3)));
    assertThat(cdp.tick()).isEmpty();
    assertThat(drain()).containsExactly("active -bob");
    clock.set(NOW); // and back
    cdp.tick();
    assertThat(drain()).containsExactly("active +ann");
  }

  @Test
  void timestampTraitsEnterAndLeaveTheirWindow() {
    listen();
    cdp.defineSegment("new_signup", "signed_up_at within 7d");
    cdp.ingest(Event.identify().userId("ann")
        .trait("signed_up_at", NOW.minus(Duration.ofDays(6)).toString()).build());
    assertThat(drain()).containsExactly("new_signup +ann");
    Instant leaves = NOW.plus(Duration.ofDays(1));
    cdp.ingest(Event.identify().userId("bob")
        .trait("signed_up_at", NOW.plus(Duration.ofHours(2)).toString()).build());
    assertThat(drain()).as("a time still to come is not within the last 7 days").isEmpty();
    assertThat(cdp.tick()).hasValue(NOW.plus(Duration.ofHours(2)));
    clock.set(NOW.plus(Duration.ofHours(3)));
    assertThat(cdp.tick()).hasValue(leaves);
    assertThat(drain()).containsExactly("new_signup +bob");
    clock.set(leaves);
    assertThat(cdp.tick()).hasValue(NOW.plus(Duration.ofDays(7)).plus(Duration.ofHours(2)));
    assertThat(drain()).containsExactly("new_signup -ann");
  }

  @Test
  void theSchedulerTicksAtTheNextChange() throws Exception {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try (Cdp real = Cdp.builder().scheduler(scheduler).build()) {
      List<MembershipChange> changes = java.util.Collections.synchronizedList(new ArrayList<>());
      real.onMembershipChange(changes::add);
      real.defineSegment("recent", "count(\"Ping\" within 1d) >= 1");
      Instant now = Instant.now();
      real.ingest(Event.track("Ping").userId("u").timestamp(now.minus(Duration.ofDays(1))
          .plusMillis(300)).build());
      for (int i = 0; i < 100 && changes.size() < 2; i++) {
        Thread.sleep(20);
      }
      assertThat(changes).extracting(MembershipChange::entered).containsExactly(true, false);
    } finally {
      scheduler.shutdownNow();
    }
  }
}
