package dev.cdpkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdpkit.testing.MessageGenerator;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Segment Spec mapping rows and the facade's promises. */
class CdpTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private final Cdp cdp = Cdp.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();

  private static Identifier id(String type, String value) {
    return Identifier.of(type, value);
  }

  @Test
  void contextTraitsDeviceAndExternalIdsAreIdentifiers() {
    cdp.ingestJson("{\"type\": \"track\", \"event\": \"Ticket Created\", \"userId\": \"u1\","
        + " \"anonymousId\": \"a1\", \"messageId\": \"m1\", \"context\": {"
        + " \"traits\": {\"email\": \" Jane@Example.COM\", \"phone\": \"+1 (555) 010-0001\","
        + "   \"name\": \"Jane\"},"
        + " \"device\": {\"id\": \"dev-9\", \"type\": \"ios\"},"
        + " \"externalIds\": [{\"id\": \"0031x\", \"type\": \"salesforce_id\","
        + "   \"collection\": \"users\", \"encoding\": \"none\"}]}}");
    Profile p = cdp.profile(id("email", "jane@example.com")).orElseThrow();
    assertThat(p.identifiers()).containsExactlyInAnyOrder(id("user_id", "u1"),
        id("anonymous_id", "a1"), id("email", "jane@example.com"), id("phone", "+15550100001"),
        id("device_id", "dev-9"), id("salesforce_id", "0031x"));
    assertThat(p.traits()).isEqualTo(Map.of("email", " Jane@Example.COM",
        "phone", "+1 (555) 010-0001"));
    assertThat(cdp.profile(id("phone", "+1 555 010 0001")).map(Profile::id)).hasValue(p.id());
  }

  @Test
  void identifyTraitsWithNestedPaths() {
    cdp.ingestJson("{\"type\": \"identify\", \"userId\": \"u1\", \"traits\": {\"plan\": \"pro\","
        + " \"ltv\": 1250.5, \"seats\": 12, \"beta\": true, \"tags\": [\"a\", \"b\"],"
        + " \"address\": {\"city\": \"Lyon\", \"zip\": \"69001\"}, \"email\": \"u1@x.io\"}}");
    Profile p = cdp.profile(id("user_id", "u1")).orElseThrow();
    assertThat(p.trait("plan")).hasValue("pro");
    assertThat(p.trait("ltv")).hasValue(1250.5);
    assertThat(p.trait("seats")).hasValue(12L);
    assertThat(p.trait("beta")).hasValue(true);
    assertThat(p.trait("tags")).hasValue(List.of("a", "b"));
    assertThat(p.trait("address.city")).hasValue("Lyon");
    assertThat(p.trait("address.country")).isEmpty();
    assertThat(p.identifiers()).contains(id("email", "u1@x.io"));
    assertThat(p.provenance("plan").orElseThrow().timestamp()).isEqualTo(NOW);
  }

  @Test
  void groupMakesAnAccountWithTraitsAndDoesNotTouchPersonTraits() {
    cdp.ingestJson("{\"type\": \"group\", \"userId\": \"u1\", \"groupId\": \"acme\","
        + " \"traits\": {\"name\": \"Acme\", \"arr\": 120000, \"email\": \"billing@acme.com\"}}");
    cdp.ingestJson("{\"type\": \"group\", \"userId\": \"u1\", \"groupId\": 77}");
    Profile p = cdp.profile(id("user_id", "u1")).orElseThrow();
    assertThat(p.accountIds()).containsExactly("77", "acme");
    assertThat(p.traits()).isEmpty();
    assertThat(p.identifiers()).containsExactly(id("user_id", "u1"));
    Account acme = cdp.account("acme").orElseThrow();
    assertThat(acme.trait("arr")).hasValue(120000L);
    assertThat(acme.traits()).containsEntry("email", "billing@acme.com");
  }

  @Test
  void latestMessageWinsPerTraitWhateverTheArrivalOrder() {
    cdp.ingest(Event.identify().userId("u1").trait("plan", "pro").trait("seats", 5)
        .timestamp(NOW.minusSeconds(10)).messageId("b").source("billing").build());
    cdp.ingest(Event.identify().userId("u1").trait("plan", "free")
        .timestamp(NOW.minusSeconds(20)).messageId("a").source("crm").build());
    Profile p = cdp.profile(id("user_id", "u1")).orElseThrow();
    assertThat(p.trait("plan")).hasValue("pro");
    assertThat(p.provenance("plan").orElseThrow().source()).isEqualTo("billing");
    // a tie on timestamp goes to the greater message id
    cdp.ingest(Event.identify().userId("u1").trait("seats", 9)
        .timestamp(NOW.minusSeconds(10)).messageId("c").build());
    cdp.ingest(Event.identify().userId("u1").trait("seats", 7)
        .timestamp(NOW.minusSeconds(10)).messageId("a2").build());
    assertThat(cdp.profile(id("user_id", "u1")).orElseThrow().trait("seats")).hasValue(9L);
  }

  @Test
  void aNullTraitUnsetsIt() {
    cdp.ingestJson("{\"type\": \"identify\", \"userId\": \"u1\", \"traits\": {\"plan\": \"pro\"},"
        + " \"timestamp\": \"2026-01-01T00:00:00Z\"}");
    cdp.ingestJson("{\"type\": \"identify\", \"userId\": \"u1\", \"traits\": {\"plan\": null},"
        + " \"timestamp\": \"2026-01-02T00:00:00Z\"}");
    assertThat(cdp.profile(id("user_id", "u1")).orElseThrow().trait("plan")).isEmpty();
  }

  @Test
  void consentLatestMessageWinsPerCategory() {
    cdp.ingestJson("{\"type\": \"identify\", \"userId\": \"u1\", \"timestamp\":"
        + " \"2026-01-02T00:00:00Z\", \"context\": {\"consent\": {\"categoryPreferences\":"
        + " {\"marketing\": false, \"analytics\": true}}}}");
    cdp.ingestJson("{\"type\": \"track\", \"event\": \"x\", \"userId\": \"u1\", \"timestamp\":"
        + " \"2026-01-01T00:00:00Z\", \"context\": {\"consent\": {\"categoryPreferences\":"
        + " {\"marketing\": true, \"advertising\": true}}}}");
    assertThat(cdp.profile(id("user_id", "u1")).orElseThrow().consents()).isEqualTo(
        Map.of("marketing", false, "analytics", true, "advertising", true));
  }

  @Test
  void timestampFallsBackToOriginalTimestampThenSentAtThenTheClock() {
    cdp.ingestJson("{\"type\": \"identify\", \"userId\": \"a\", \"originalTimestamp\":"
        + " \"2026-01-01T00:00:00+02:00\", \"sentAt\": \"2026-01-05T00:00:00Z\"}");
    cdp.ingestJson("{\"type\": \"identify\", \"userId\": \"b\", \"sentAt\":"
        + " \"2026-01-05T00:00:00Z\"}");
    cdp.ingestJson("{\"batch\": [{\"type\": \"identify\", \"userId\": \"c\"}],"
        + " \"sentAt\": \"2026-01-06T00:00:00Z\"}");
    cdp.ingestJson("{\"type\": \"identify\", \"userId\": \"d\"}");
    assertThat(cdp.profile(id("user_id", "a")).orElseThrow().firstSeen())
        .isEqualTo(Instant.parse("2025-12-31T22:00:00Z"));
    assertThat(cdp.profile(id("user_id", "b")).orElseThrow().firstSeen())
        .isEqualTo(Instant.parse("2026-01-05T00:00:00Z"));
    assertThat(cdp.profile(id("user_id", "c")).orElseThrow().firstSeen())
        .isEqualTo(Instant.parse("2026-01-06T00:00:00Z"));
    assertThat(cdp.profile(id("user_id", "d")).orElseThrow().firstSeen()).isEqualTo(NOW);
  }

  @Test
  void envelopeContextAppliesToItsMessages() {
    cdp.ingestJson("{\"batch\": [{\"type\": \"track\", \"event\": \"x\", \"userId\": \"u1\"}],"
        + " \"context\": {\"device\": {\"id\": \"dev-1\"}, \"library\": {\"name\": \"crm\"}}}");
    Profile p = cdp.profile(id("device_id", "dev-1")).orElseThrow();
    assertThat(p.identifiers()).contains(id("user_id", "u1"));
  }

  @Test
  void aMessageWithoutMessageIdIsDeduplicatedByContent() {
    String json = "{\"type\": \"identify\", \"userId\": \"u1\", \"traits\": {\"n\": 1},"
        + " \"timestamp\": \"2026-01-01T00:00:00Z\"}";
    assertThat(cdp.ingestJson(json).applied()).isEqualTo(1);
    assertThat(cdp.ingestJson(json).duplicates()).isEqualTo(1);
  }

  @Test
  void aBridgingMessageMergesProfilesAndTheSurvivorKeepsItsId() {
    ProfileId first = cdp.ingest(Event.identify().userId("u1").trait("plan", "pro")
        .timestamp(NOW.minusSeconds(30)).build()).profileId().orElseThrow();
    ProfileId second = cdp.ingest(Event.identify().email("jane@example.com").trait("city", "Oslo")
        .timestamp(NOW.minusSeconds(20)).build()).profileId().orElseThrow();
    assertThat(cdp.profileCount()).isEqualTo(2);
    IngestResult bridge = cdp.ingest(Event.track("Logged In").userId("u1")
        .email("Jane@Example.com").timestamp(NOW.minusSeconds(10)).build());
    assertThat(bridge.messages().get(0).merged()).containsExactly(second);
    assertThat(bridge.profileId()).hasValue(first);
    assertThat(cdp.profileCount()).isEqualTo(1);
    Profile p = cdp.profile(second).orElseThrow();
    assertThat(p.id()).isEqualTo(first);
    assertThat(p.traits()).isEqualTo(Map.of("plan", "pro", "city", "Oslo"));
    assertThat(cdp.profile(id("email", "jane@example.com")).map(Profile::id)).hasValue(first);
  }

  @Test
  void aBatchMessageOverTheLimitIsRejectedAlone() {
    Cdp small = Cdp.builder().maxMessageBytes(80).build();
    IngestResult r = small.ingestJson("{\"batch\": [{\"type\": \"identify\", \"userId\": \"u1\"},"
        + " {\"type\": \"identify\", \"userId\": \"" + "z".repeat(100) + "\"}]}");
    assertThat(r.applied()).isEqualTo(1);
    assertThat(r.errors()).extracting(Throwable::getMessage).containsExactly("batch[1]: message"
        + " is 134 bytes, over the limit of 80 bytes per message (Cdp.builder().maxMessageBytes)");
  }

  @Test
  void closedCdpRefusesWork() {
    cdp.close();
    cdp.close();
    assertThatThrownBy(() -> cdp.profileCount()).isInstanceOf(IllegalStateException.class)
        .hasMessage("this Cdp is closed");
  }

  @Test
  void concurrentIngestionEqualsSequentialIngestion() throws Exception {
    List<Event> messages = new ArrayList<>();
    Random r = new Random(42);
    for (int i = 0; i < 600; i++) {
      messages.add(MessageGenerator.message(r, "m" + i));
    }
    Cdp sequential = Cdp.builder().build();
    messages.forEach(sequential::ingest);

    Cdp concurrent = Cdp.builder().build();
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      List<Event> mine = new ArrayList<>(messages); // every thread sends everything: overlaps
      Collections.shuffle(mine, new Random(t));
      done.add(pool.submit(() -> {
        start.await();
        for (Event e : mine) {
          concurrent.ingest(e);
          concurrent.profile(e.identifiers().iterator().next()); // reads run alongside writes
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get(2, TimeUnit.MINUTES);
    }
    pool.shutdown();
    assertThat(IngestionProperties.state(concurrent, messages))
        .isEqualTo(IngestionProperties.state(sequential, messages));
  }
}
