package dev.cdpkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.cdpkit.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The real client payloads of {@code ../shared/data/segment-spec} ingest as the design maps them. */
class SegmentSpecPayloadsTest {
  private static final Instant GO_TIME = Instant.parse("2009-11-10T23:00:00Z");

  private final Cdp cdp = Cdp.builder()
      .clock(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC))
      .build();

  private static String go(String name) throws IOException {
    return Files.readString(SharedData.require("segment-spec/analytics-go/" + name + ".json"));
  }

  private static Identifier uid(String v) {
    return Identifier.of("user_id", v);
  }

  @Test
  void identify() throws IOException {
    IngestResult r = cdp.ingestJson(go("test-enqueue-identify"));
    assertThat(r.applied()).isEqualTo(1);
    Profile p = cdp.profile(uid("B")).orElseThrow();
    assertThat(p.identifiers()).containsExactly(uid("B"));
    assertThat(p.traits()).isEmpty();
    assertThat(p.firstSeen()).isEqualTo(GO_TIME);
    assertThat(p.id()).isEqualTo(r.profileId().orElseThrow());
  }

  @Test
  void trackVariants() throws IOException {
    for (String f : List.of("test-enqueue-track", "test-context-track", "test-integrations-track",
        "test-interval-track")) {
      Cdp fresh = Cdp.builder().build();
      IngestResult r = fresh.ingestJson(go(f));
      assertThat(r.applied()).as(f).isEqualTo(1);
      Profile p = fresh.profile(uid("123456")).orElseThrow();
      assertThat(p.identifiers()).as(f).containsExactly(uid("123456"));
      assertThat(p.lastSeen()).as(f).isEqualTo(GO_TIME);
      assertThat(p.traits()).as(f).isEmpty();
      assertThat(fresh.profileCount()).isEqualTo(1);
      Event e = only(fresh.events(p.id()));
      assertThat(e.type()).isEqualTo(EventType.TRACK);
      assertThat(e.name()).hasValue("Download");
      assertThat(e.properties()).isEqualTo(Map.of("application", "Segment Desktop",
          "platform", "osx", "version", "1.1.0"));
      assertThat(e.messageId()).isEqualTo("I'm unique");
      assertThat(e.timestamp()).hasValue(GO_TIME);
      assertThat(e.source()).isEqualTo("analytics-go");
    }
  }

  private static Event only(List<Event> events) {
    assertThat(events).hasSize(1);
    return events.get(0);
  }

  @Test
  void sameMessageIdIsAppliedOnceEvenWithinOneBatch() throws IOException {
    IngestResult r = cdp.ingestJson(go("test-many-track"));
    assertThat(r.messages()).extracting(IngestResult.Message::status).containsExactly(
        IngestResult.Status.APPLIED, IngestResult.Status.DUPLICATE,
        IngestResult.Status.DUPLICATE);
    assertThat(cdp.ingestJson(go("test-enqueue-track")).duplicates()).isEqualTo(1);
    Event kept = only(cdp.events(cdp.profile(uid("123456")).orElseThrow().id()));
    assertThat(kept.properties()).containsEntry("version", 0L);
  }

  @Test
  void messageIdAndTimestampAreTakenFromTheMessage() throws IOException {
    cdp.ingestJson(go("test-messageid-track"));
    cdp.ingestJson(go("test-timestamp-track"));
    Profile p = cdp.profile(uid("123456")).orElseThrow();
    assertThat(p.firstSeen()).isEqualTo(GO_TIME);
    assertThat(p.lastSeen()).isEqualTo(Instant.parse("2015-07-10T23:00:00Z"));
  }

  @Test
  void pageAndScreen() throws IOException {
    cdp.ingestJson(go("test-enqueue-page"));
    Cdp other = Cdp.builder().build();
    other.ingestJson(go("test-enqueue-screen"));
    Event page = only(cdp.events(cdp.profile(uid("B")).orElseThrow().id()));
    assertThat(page.type()).isEqualTo(EventType.PAGE);
    assertThat(page.name()).hasValue("A");
    Event screen = only(other.events(other.profile(uid("B")).orElseThrow().id()));
    assertThat(screen.type()).isEqualTo(EventType.SCREEN);
    assertThat(screen.name()).hasValue("A");
  }

  @Test
  void groupMakesAnAccountTheProfileJoins() throws IOException {
    cdp.ingestJson(go("test-enqueue-group"));
    Profile p = cdp.profile(uid("B")).orElseThrow();
    assertThat(p.accountIds()).containsExactly("A");
    assertThat(cdp.account("A")).map(Account::id).hasValue("A");
    assertThat(cdp.account("A").orElseThrow().traits()).isEmpty();
    assertThat(only(cdp.events(p.id())).groupId()).hasValue("A");
  }

  @Test
  void aliasLinksPreviousIdAsAnAnonymousIdWhenNoSuchUserExists() throws IOException {
    cdp.ingestJson(go("test-enqueue-alias"));
    Profile p = cdp.profile(uid("B")).orElseThrow();
    assertThat(p.identifiers()).containsExactlyInAnyOrder(uid("B"),
        Identifier.of("anonymous_id", "A"));
    assertThat(only(cdp.events(p.id())).previousId()).hasValue("A");
  }

  @Test
  void aliasLinksPreviousIdAsAUserIdWhenThatUserExists() throws IOException {
    Cdp unlimited = Cdp.builder().identityRules(IdentityRules.builder().build()).build();
    unlimited.ingest(Event.identify().userId("A").trait("plan", "pro")
        .timestamp(GO_TIME.minusSeconds(60)).build());
    unlimited.ingestJson(go("test-enqueue-alias"));
    Profile p = unlimited.profile(uid("B")).orElseThrow();
    assertThat(p.identifiers()).containsExactlyInAnyOrder(uid("A"), uid("B"));
    assertThat(p.trait("plan")).hasValue("pro");
    assertThat(unlimited.profileCount()).isEqualTo(1);
  }

  @Test
  void underTheDefaultRulesAnAliasOfTwoUserIdsIsRefused() throws IOException {
    cdp.ingest(Event.identify().userId("A").timestamp(GO_TIME.minusSeconds(60)).build());
    IngestResult r = cdp.ingestJson(go("test-enqueue-alias"));
    assertThat(r.messages().get(0).rejectedIdentifiers()).extracting(x -> x.identifier())
        .containsExactly(uid("B"));
    assertThat(r.messages().get(0).rejectedIdentifiers().get(0).reason())
        .isEqualTo("would put 2 user_id values on one profile (limit 1): [A, B]");
    assertThat(cdp.profile(uid("A")).orElseThrow().identifiers()).containsExactly(uid("A"));
    assertThat(cdp.profile(uid("B"))).isEmpty();
  }

  @Test
  void allTwelveGoFixturesIngestTogether() throws IOException {
    Path dir = SharedData.require("segment-spec/analytics-go");
    List<Path> files = new ArrayList<>();
    try (var s = Files.list(dir)) {
      s.filter(p -> p.toString().endsWith(".json")).sorted().forEach(files::add);
    }
    assertThat(files).hasSize(12);
    int applied = 0;
    for (Path f : files) {
      IngestResult r = cdp.ingestJson(Files.readString(f));
      assertThat(r.rejected()).as(f.toString()).isZero();
      applied += r.applied();
    }
    // Most fixtures reuse the messageId "I'm unique": only the first of those, "abc", and the
    // content of each is what the Go client sent; the first wins.
    assertThat(applied).isEqualTo(2);
    assertThat(cdp.profileCount()).isEqualTo(1);
  }

  @Test
  void analyticsNextBrowserPayloads() throws IOException {
    String all = Files.readString(
        SharedData.require("segment-spec/analytics-next-all-segment-events.json"));
    List<String> messages = splitArray(all);
    assertThat(messages).hasSize(5);
    for (String m : messages) {
      IngestResult r = cdp.ingestJson(m);
      assertThat(r.applied()).as(m).isEqualTo(1);
    }
    Identifier anon = Identifier.of("anonymous_id", "1fb4b6f9-accb-4b69-b8a4-e357fd87e172");
    Profile john = cdp.profile(uid("john")).orElseThrow();
    assertThat(cdp.profileCount()).isEqualTo(1);
    // alias previousId "johnsmith" is no known user id, so it is new as an anonymous id
    assertThat(john.identifiers()).containsExactlyInAnyOrder(uid("john"), anon,
        Identifier.of("anonymous_id", "johnsmith"));
    assertThat(cdp.profile(anon).map(Profile::id)).hasValue(john.id());
    assertThat(john.traits()).isEqualTo(Map.of("found", true));
    assertThat(john.provenance("found").orElseThrow().source()).isEqualTo("analytics.js");
    assertThat(john.accountIds()).isEqualTo(Set.of("foo"));
    assertThat(cdp.account("foo").orElseThrow().traits()).isEqualTo(Map.of("hello", "world"));
    assertThat(john.firstSeen()).isEqualTo(Instant.parse("2024-07-18T20:09:12.978Z"));
    assertThat(john.lastSeen()).isEqualTo(Instant.parse("2024-07-18T20:09:12.984Z"));
    // track and alias share a timestamp: the smaller message id comes first
    assertThat(cdp.events(john.id())).extracting(Event::type).containsExactly(EventType.PAGE,
        EventType.IDENTIFY, EventType.TRACK, EventType.ALIAS, EventType.GROUP);
    Event track = cdp.events(john.id()).get(2);
    assertThat(track.name()).hasValue("a track call");
    assertThat(track.properties()).isEqualTo(Map.of("foo", "bar"));
    Event page = cdp.events(john.id()).get(0);
    assertThat(page.name()).hasValue("Home");
    assertThat(page.properties()).containsEntry("url", "http://my-home.com");
    // ingesting them again changes nothing
    for (String m : messages) {
      assertThat(cdp.ingestJson(m).duplicates()).isEqualTo(1);
    }
    assertThat(cdp.profile(uid("john"))).hasValue(john);
  }

  /** The elements of a top-level JSON array, each as its own text. */
  static List<String> splitArray(String json) throws IOException {
    List<String> out = new ArrayList<>();
    try (JsonParser p = new JsonFactory().createParser(json)) {
      assertThat(p.nextToken()).isEqualTo(JsonToken.START_ARRAY);
      while (p.nextToken() == JsonToken.START_OBJECT) {
        int start = (int) p.currentTokenLocation().getCharOffset();
        p.skipChildren();
        int end = (int) p.currentLocation().getCharOffset();
        out.add(json.substring(start, end));
      }
    }
    return out;
  }

  @Test
  void payloadBytesAreReadAsUtf8() {
    String json = new String("{\"type\":\"identify\",\"userId\":\"\u00e9l\u00e8ve\"}"
        .getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    cdp.ingestJson(json);
    assertThat(cdp.profile(uid("\u00e9l\u00e8ve"))).isPresent();
  }
}
