package dev.cdpkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdpkit.internal.RecordCodec;
import dev.cdpkit.testing.MutableClock;
import dev.cdpkit.testing.SnapshotKeepingStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Forgetting a person: nothing of them stays, and they are not recreated. */
class ForgetTest {
  private static final Instant NOW = Instant.parse("2026-06-30T12:00:00Z");
  private static final String MARKER = "jane-secret-7f3a";
  private final MutableClock clock = new MutableClock(NOW);
  private final SnapshotKeepingStore store = new SnapshotKeepingStore();
  private final Cdp cdp = Cdp.builder().store(store).clock(clock).build();
  private final List<String> janesMessages = new ArrayList<>();

  private void jane(Event.Builder b) {
    clock.advance(Duration.ofMinutes(1));
    Event e = b.build();
    janesMessages.add(e.messageId());
    cdp.ingest(e);
  }

  private void people() {
    jane(Event.page("Home").anonymousId("anon-j"));
    jane(Event.identify().userId("jane-1").trait("email", "  Jane@Example.com ")
        .trait("note", MARKER).consent("marketing", true));
    jane(Event.alias("anon-j").userId("jane-1"));
    jane(Event.group("acme").userId("jane-1").trait("name", "Acme"));
    jane(Event.track("Feature Used").userId("jane-1").property("feature", MARKER));
    cdp.ingest(Event.identify().userId("bob").trait("email", "bob@example.com")
        .consent("marketing", true).build());
  }

  @Test
  void nothingOfThePersonStays() {
    cdp.defineSegment("reachable", "has email and consented \"marketing\"");
    cdp.defineSegment("users", "count(\"Feature Used\" within 30d) >= 1");
    people();
    List<MembershipChange> changes = new ArrayList<>();
    cdp.onMembershipChange(changes::add);
    ProfileId janeId = cdp.profile(Identifier.of("user_id", "jane-1")).orElseThrow().id();

    DeletionReport report = cdp.forget(Identifier.of("email", "JANE@example.com"));

    assertThat(report.profileId()).hasValue(janeId);
    assertThat(report.messages()).isEqualTo(janesMessages.size());
    assertThat(report.identifiers()).isEqualTo(3); // user id, email, anonymous id
    assertThat(report.segmentsLeft()).containsExactlyInAnyOrder("reachable", "users");
    assertThat(report.toString()).doesNotContain("jane-1", "example.com", MARKER);
    assertThat(changes).extracting(c -> c.segment() + (c.entered() ? "+" : "-") + c.profileId())
        .containsExactlyInAnyOrder("reachable-" + janeId, "users-" + janeId);

    for (Identifier i : List.of(Identifier.of("user_id", "jane-1"),
        Identifier.of("email", "jane@example.com"), Identifier.of("anonymous_id", "anon-j"))) {
      assertThat(cdp.profile(i)).isEmpty();
      assertThat(store.profilesWatching(i)).isEmpty();
      assertThat(store.watchedUntil(i)).isEmpty();
    }
    assertThat(store.removedIdentifiers()).isEmpty();
    assertThat(store.resolve(janeId)).isEmpty();
    for (String id : janesMessages) {
      assertThat(store.containsMessage(id)).as(id).isFalse();
    }
    assertThat(store.unresolvedEvents()).isEmpty();
    assertThat(cdp.profileCount()).isEqualTo(1);
    store.forEachProfile(r -> {
      assertThat(contains(RecordCodec.encode(r), "jane")).isFalse();
      assertThat(contains(RecordCodec.encode(r), MARKER)).isFalse();
      assertThat(store.events(r.id())).noneMatch(e -> e.toString().contains("jane"));
    });
    assertThat(cdp.segment("reachable").orElseThrow().count()).isEqualTo(1);
    // the indexes: a snapshot of them holds nothing of her
    cdp.close();
    for (byte[] part : store.snapshot().orElseThrow()) {
      for (String s : List.of(janeId.value(), MARKER, "jane")) {
        assertThat(contains(part, s)).as(s).isFalse();
      }
    }
  }

  @Test
  void laterMessagesDoNotRecreateThemUntilTheSuppressionIsLifted() {
    people();
    cdp.forget(Identifier.of("user_id", "jane-1"));
    IngestResult r = cdp.ingestJson("{\"type\":\"identify\",\"userId\":\"x\","
        + "\"traits\":{\"email\":\"jane@EXAMPLE.com\"}}");
    assertThat(r.messages()).extracting(IngestResult.Message::status)
        .containsExactly(IngestResult.Status.SUPPRESSED);
    assertThat(cdp.ingest(Event.track("Page Viewed").anonymousId("anon-j").build()).suppressed())
        .isEqualTo(1);
    assertThat(cdp.profile(Identifier.of("user_id", "x"))).isEmpty();
    assertThat(store.suppressions()).hasSize(3)
        .noneMatch(h -> h.contains("jane") || h.contains("anon"));
    // someone else entirely is welcome
    assertThat(cdp.ingest(Event.identify().userId("jane-2").build()).applied()).isEqualTo(1);

    assertThat(cdp.liftSuppression(Identifier.of("email", "Jane@Example.com"))).isTrue();
    assertThat(cdp.liftSuppression(Identifier.of("email", "Jane@Example.com"))).isFalse();
    assertThat(cdp.ingest(Event.identify().userId("x").trait("email", "jane@example.com")
        .build()).applied()).isEqualTo(1);
    assertThat(cdp.profile(Identifier.of("email", "jane@example.com"))).isPresent();
  }

  @Test
  void anUnknownIdentifierIsSuppressedAllTheSame() {
    DeletionReport report = cdp.forget(Identifier.of("email", "nobody@example.com"));
    assertThat(report.profileId()).isEmpty();
    assertThat(report.messages()).isZero();
    assertThat(cdp.ingest(Event.identify().userId("n").trait("email", "nobody@example.com")
        .build()).suppressed()).isEqualTo(1);
  }

  private static boolean contains(byte[] haystack, String needle) {
    byte[] n = needle.getBytes(StandardCharsets.UTF_8);
    outer:
    for (int i = 0; i + n.length <= haystack.length; i++) {
      for (int j = 0; j < n.length; j++) {
        if (haystack[i + j] != n[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
