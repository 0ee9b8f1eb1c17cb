package dev.cdpkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdpkit.destination.AudienceMember;
import dev.cdpkit.destination.AudienceSync;
import dev.cdpkit.destination.DeliveryReport;
import dev.cdpkit.destination.Destination;
import dev.cdpkit.destination.FileDestination;
import dev.cdpkit.destination.InMemoryDestination;
import dev.cdpkit.destination.PiiHash;
import dev.cdpkit.store.InMemoryProfileStore;
import dev.cdpkit.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Audiences synced to destinations: diffs, consent, hashing, caps, priority, failures. */
class ActivationTest {
  private static final Instant NOW = Instant.parse("2026-06-30T12:00:00Z");
  private final MutableClock clock = new MutableClock(NOW);
  private final InMemoryProfileStore store = new InMemoryProfileStore();
  private final InMemoryDestination email = new InMemoryDestination("marketing", "email");
  private Cdp cdp = open();

  @TempDir
  Path dir;

  private Cdp open() {
    Cdp c = Cdp.builder().store(store).clock(clock)
        .frequencyCap(FrequencyCap.of("email", 2, Duration.ofDays(7))).build();
    if (c.segment("rich").isEmpty()) {
      c.defineSegment("rich", "ltv > 100");
    }
    return c;
  }

  private void person(String user, int ltv, boolean marketing) {
    clock.advance(Duration.ofSeconds(1));
    cdp.ingest(Event.identify().userId(user).trait("email", user + "@Example.com")
        .trait("ltv", ltv).consent("marketing", marketing).build());
  }

  private Set<String> emails(InMemoryDestination d, String audience) {
    return d.members(audience).values().stream().map(m -> m.first("email"))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void theFirstSyncSendsEverythingThenOnlyTheDifference() {
    person("ann", 500, true);
    person("bob", 700, true);
    person("cat", 50, true);
    cdp.addAudience(Audience.builder("rich-email", "rich", email).identifiers("email").build());
    SyncReport first = cdp.sync("rich-email");
    assertThat(first.full()).isTrue();
    assertThat(first.added()).isEqualTo(2);
    assertThat(emails(email, "rich-email")).containsExactly("ann@example.com", "bob@example.com");

    person("cat", 900, true);
    person("ann", 10, true);
    SyncReport second = cdp.sync("rich-email");
    assertThat(second.full()).isFalse();
    AudienceSync diff = email.received().get(1);
    assertThat(diff.added()).extracting(m -> m.first("email")).containsExactly("cat@example.com");
    assertThat(diff.removed()).extracting(m -> m.first("email"))
        .containsExactly("ann@example.com");
    assertThat(emails(email, "rich-email")).containsExactly("bob@example.com", "cat@example.com");

    assertThat(cdp.sync("rich-email").added()).isZero();
    assertThat(email.received().get(2).added()).isEmpty();
    assertThat(email.received().get(2).removed()).isEmpty();

    // a restart remembers what was sent
    cdp.close();
    cdp = open();
    cdp.addAudience(Audience.builder("rich-email", "rich", email).identifiers("email").build());
    person("ann", 1000, true);
    SyncReport afterRestart = cdp.sync("rich-email");
    assertThat(afterRestart.full()).isFalse();
    assertThat(email.received().get(3).added()).extracting(m -> m.first("email"))
        .containsExactly("ann@example.com");
    assertThat(afterRestart.members()).isEqualTo(3);

    // a member whose email changed is removed as it was sent and added as it is
    clock.advance(Duration.ofSeconds(1));
    cdp.ingest(Event.identify().userId("bob").trait("email", "robert@example.com").build());
    SyncReport updated = cdp.sync("rich-email");
    assertThat(updated.updated()).isEqualTo(1);
    assertThat(updated.added()).isZero();
    AudienceSync change = email.received().get(4);
    assertThat(change.removed()).extracting(m -> m.first("email"))
        .containsExactly("bob@example.com");
    assertThat(change.added()).extracting(m -> m.identifiers().get("email"))
        .containsExactly(List.of("bob@example.com", "robert@example.com"));
  }

  @Test
  void withoutConsentNobodyIsSentAndWithdrawingRemoves() {
    person("ann", 500, true);
    person("bob", 700, false);
    cdp.ingest(Event.identify().userId("dan").trait("email", "dan@example.com").trait("ltv", 900)
        .build()); // never asked: no consent
    cdp.addAudience(Audience.builder("a", "rich", email).identifiers("email").build());
    SyncReport r = cdp.sync("a");
    assertThat(emails(email, "a")).containsExactly("ann@example.com");
    assertThat(r.withoutConsent()).isEqualTo(2);
    person("ann", 500, false);
    cdp.sync("a");
    assertThat(emails(email, "a")).isEmpty();
  }

  @Test
  void adNetworksGetHashedIdentifiers() {
    cdp.ingest(Event.identify().userId("t").trait("email", " Test@Example.com").phone("+1 555 123 4567")
        .trait("ltv", 500).consent("marketing", true).build());
    InMemoryDestination ads = new InMemoryDestination("marketing", "ads");
    cdp.addAudience(Audience.builder("ads", "rich", ads).hashed("email", "phone").build());
    cdp.sync("ads");
    AudienceMember m = ads.members("ads").values().iterator().next();
    assertThat(m.identifiers()).containsOnlyKeys("email_sha256", "phone_sha256");
    assertThat(m.first("email_sha256"))
        .isEqualTo("973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b");
    assertThat(m.first("phone_sha256")).isEqualTo(PiiHash.sha256("+15551234567"));
    assertThat(m.toString()).doesNotContain("example.com");
  }

  @Test
  void aCappedProfileIsKeptOutUntilTheWindowFreesIt() {
    person("ann", 500, true);
    person("bob", 500, true);
    cdp.addAudience(Audience.builder("a", "rich", email).identifiers("email").build());
    cdp.sync("a");
    Identifier ann = Identifier.of("user_id", "ann");
    cdp.recordContact(ann, "email");
    cdp.sync("a");
    assertThat(emails(email, "a")).hasSize(2);
    clock.advance(Duration.ofHours(1));
    cdp.ingest(Event.track("Email Sent").identifier(ann).build()); // as the tool reports it
    SyncReport capped = cdp.sync("a");
    assertThat(capped.capped()).isEqualTo(1);
    assertThat(emails(email, "a")).containsExactly("bob@example.com");
    clock.advance(Duration.ofDays(7)); // the first contact leaves the window
    cdp.sync("a");
    assertThat(emails(email, "a")).containsExactly("ann@example.com", "bob@example.com");
  }

  @Test
  void onOneChannelTheHighestPriorityAudienceGetsTheProfile() {
    cdp.defineSegment("pro", "plan = \"pro\"");
    person("ann", 500, true);
    cdp.ingest(Event.identify().userId("ann").trait("plan", "pro").timestamp(NOW.plusSeconds(60))
        .build());
    person("bob", 500, true);
    InMemoryDestination other = new InMemoryDestination("marketing", "email");
    InMemoryDestination push = new InMemoryDestination("marketing", "push");
    cdp.addAudience(Audience.builder("offer", "rich", email).identifiers("email").priority(1)
        .build());
    cdp.addAudience(Audience.builder("upsell", "pro", other).identifiers("email").priority(5)
        .build());
    cdp.addAudience(Audience.builder("push", "rich", push).identifiers("email").build());
    List<SyncReport> reports = cdp.syncAll();
    assertThat(emails(other, "upsell")).containsExactly("ann@example.com");
    assertThat(emails(email, "offer")).containsExactly("bob@example.com");
    assertThat(reports.get(0).taken()).isEqualTo(1);
    assertThat(emails(push, "push")).as("another channel").hasSize(2);
  }

  @Test
  void failuresAreRetriedAndDoNotHoldUpOthers() throws Exception {
    person("ann", 500, true);
    person("bob", 500, true);
    cdp.addAudience(Audience.builder("a", "rich", email).identifiers("email").build());
    email.failNext(1);
    SyncReport failed = cdp.sync("a");
    assertThat(failed.error()).hasValueSatisfying(e -> assertThat(e).contains("told to fail"));
    assertThat(failed.members()).isZero();
    email.refuse(m -> "bob@example.com".equals(m.first("email")));
    SyncReport partly = cdp.sync("a");
    assertThat(partly.full()).isTrue();
    assertThat(partly.failed()).hasSize(1);
    assertThat(emails(email, "a")).containsExactly("ann@example.com");
    email.refuse(m -> false);
    SyncReport retried = cdp.sync("a");
    assertThat(email.received().get(2).added()).extracting(m -> m.first("email"))
        .containsExactly("bob@example.com");
    assertThat(retried.ok()).isTrue();

    CountDownLatch release = new CountDownLatch(1);
    Destination slow = new Destination() {
      @Override
      public String purpose() {
        return "marketing";
      }

      @Override
      public String channel() {
        return "in_app";
      }

      @Override
      public DeliveryReport deliver(AudienceSync sync) throws Exception {
        release.await();
        return DeliveryReport.ok();
      }
    };
    cdp.addAudience(Audience.builder("slow", "rich", slow).identifiers("email")
        .timeout(Duration.ofMillis(300)).build());
    person("cat", 500, true);
    List<SyncReport> all = cdp.syncAll();
    release.countDown();
    assertThat(all.get(0).ok()).isTrue();
    assertThat(emails(email, "a")).contains("cat@example.com");
    assertThat(all.get(1).error()).hasValueSatisfying(e -> assertThat(e).contains("within"));
  }

  @Test
  void aForgottenPersonLeavesEveryDestination() {
    person("ann", 500, true);
    person("bob", 500, true);
    InMemoryDestination ads = new InMemoryDestination("marketing", "ads");
    cdp.addAudience(Audience.builder("a", "rich", email).identifiers("email").build());
    cdp.addAudience(Audience.builder("ads", "rich", ads).hashed("email").build());
    cdp.syncAll();
    ProfileId ann = cdp.profile(Identifier.of("user_id", "ann")).orElseThrow().id();
    DeletionReport report = cdp.forget(Identifier.of("user_id", "ann"));
    assertThat(report.audiencesToUpdate()).containsExactly("a", "ads");
    cdp.syncAll();
    assertThat(email.members("a")).doesNotContainKey(ann).hasSize(1);
    assertThat(ads.members("ads")).doesNotContainKey(ann).hasSize(1);
    assertThat(store.audienceMembers("a", Set.of(ann))).isEmpty();
    assertThat(store.audienceMembers("ads", Set.of(ann))).isEmpty();
  }

  @Test
  void fileDestinationsHoldTheAudienceAsCsvOrJsonLines() throws Exception {
    person("ann", 500, true);
    person("bob, \"the\" builder", 500, true);
    FileDestination csv = new FileDestination(dir, FileDestination.Format.CSV, "marketing",
        "email", "email");
    FileDestination jsonl = new FileDestination(dir, FileDestination.Format.JSON_LINES,
        "marketing", "in_app");
    cdp.addAudience(Audience.builder("mail", "rich", csv).identifiers("email").build());
    cdp.addAudience(Audience.builder("chat", "rich", jsonl).identifiers("user_id").build());
    cdp.syncAll();
    person("ann", 5, true);
    cdp.syncAll();
    List<String> lines = Files.readAllLines(csv.file("mail"));
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).isEqualTo("profile_id,email");
    assertThat(lines.get(1)).endsWith(",\"bob, \"\"the\"\" builder@example.com\"");
    List<String> json = Files.readAllLines(jsonl.file("chat"));
    assertThat(json).hasSize(1);
    assertThat(json.get(0)).contains("\"user_id\":[\"bob, \\\"the\\\" builder\"]");
  }

  @Test
  void badAudiencesAreRefusedWithWhatToFix() {
    assertThatThrownBy(() -> cdp.addAudience(Audience.builder("x", "nope", email)
        .identifiers("email").build())).hasMessageContaining("segment 'nope'");
    assertThatThrownBy(() -> Audience.builder("x", "rich", email).build())
        .hasMessageContaining("sends no identifier");
    cdp.addAudience(Audience.builder("x", "rich", email).identifiers("email").build());
    assertThatThrownBy(() -> cdp.addAudience(Audience.builder("x", "rich", email)
        .identifiers("email").build())).hasMessageContaining("already added");
    assertThatThrownBy(() -> cdp.sync("y")).hasMessageContaining("no audience named 'y'");
    assertThatThrownBy(() -> Cdp.builder().frequencyCap(FrequencyCap.of("email", 1,
        Duration.ofDays(1))).frequencyCap(FrequencyCap.of("email", 2, Duration.ofDays(1))))
        .hasMessageContaining("channel 'email'");
  }
}
