package dev.cdpkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Every kind of bad input gets an {@link IngestException} that says what to fix. */
class IngestErrorsTest {
  private final Cdp cdp = Cdp.builder().build();

  private IngestException reject(String json) {
    try {
      cdp.ingestJson(json);
    } catch (IngestException e) {
      assertThat(cdp.profileCount()).as("nothing applied").isZero();
      return e;
    }
    throw new AssertionError("accepted: " + json);
  }

  @Test
  void malformedJson() {
    IngestException e = reject("{\"type\": \"track\", \"userId\": \"u1\",\n \"event\": }");
    assertThat(e).hasMessageStartingWith("malformed JSON at line 2, column 11: ");
    assertThat(e.index()).isEmpty();
  }

  @Test
  void notAnObject() {
    assertThat(reject("[1, 2]")).hasMessage("payload must be a JSON object (one Spec message or a"
        + " {\"batch\": [...]} envelope), got an array");
    assertThat(reject("")).hasMessage("payload must be a JSON object (one Spec message or a"
        + " {\"batch\": [...]} envelope), got nothing");
  }

  @Test
  void trailingContent() {
    assertThat(reject("{\"type\":\"identify\",\"userId\":\"u1\"} {}"))
        .hasMessage("unexpected an object after the JSON object at line 1, column 35");
  }

  @Test
  void unknownType() {
    IngestException e = reject("{\"type\": \"purchase\", \"userId\": \"u1\"}");
    assertThat(e).hasMessage("type: unknown type 'purchase'; expected one of identify, track,"
        + " page, screen, group, alias");
    assertThat(e.field()).hasValue("type");
  }

  @Test
  void missingType() {
    assertThat(reject("{\"userId\": \"u1\"}")).hasMessage(
        "type: is missing; expected one of identify, track, page, screen, group, alias");
  }

  @Test
  void noUsableIdentifier() {
    assertThat(reject("{\"type\": \"track\", \"event\": \"Signed Up\", \"userId\": \"  \","
        + " \"traits\": {\"phone\": \"n/a\"}}"))
        .hasMessage("message has no usable identifier: give userId, anonymousId, traits.email,"
            + " traits.phone, context.device.id or context.externalIds");
  }

  @Test
  void timestampThatIsNotIso8601() {
    IngestException e = reject("{\"type\": \"identify\", \"userId\": \"u1\","
        + " \"timestamp\": \"10/11/2009 23:00\"}");
    assertThat(e).hasMessage("timestamp: '10/11/2009 23:00' is not an ISO-8601 date-time with a"
        + " zone, such as 2024-07-18T20:09:12.978Z or 2024-07-18T22:09:12+02:00");
    assertThat(reject("{\"type\": \"identify\", \"userId\": \"u1\", \"sentAt\": 12}"))
        .hasMessage("sentAt: must be a string, got an integer");
  }

  @Test
  void batchThatIsNotAnArray() {
    IngestException e = reject("{\"batch\": {\"type\": \"identify\", \"userId\": \"u1\"}}");
    assertThat(e).hasMessage("batch: must be an array of messages, got an object");
  }

  @Test
  void oversizedMessage() {
    Cdp small = Cdp.builder().maxMessageBytes(100).build();
    String big = "{\"type\": \"identify\", \"userId\": \"u1\", \"traits\": {\"bio\": \""
        + "x".repeat(200) + "\"}}";
    assertThatThrownBy(() -> small.ingestJson(big)).isInstanceOf(IngestException.class)
        .hasMessage("message is 259 bytes, over the limit of 100 bytes per message"
            + " (Cdp.builder().maxMessageBytes)");
    String wide = "{\"type\": \"identify\", \"userId\": \"u1\", \"traits\": {\"bio\": \""
        + "\u00e9".repeat(40) + "\"}}";
    assertThatThrownBy(() -> small.ingestJson(wide)).hasMessageStartingWith("message is 139 bytes");
  }

  @Test
  void defaultLimitIs32KbPerMessage() {
    String big = "{\"type\": \"identify\", \"userId\": \"u1\", \"traits\": {\"bio\": \""
        + "x".repeat(32 * 1024) + "\"}}";
    assertThat(reject(big)).hasMessageStartingWith("message is 32827 bytes, over the limit of"
        + " 32768 bytes per message");
  }

  @Test
  void oversizedPayload() {
    Cdp small = Cdp.builder().maxMessageBytes(100).maxBatchBytes(300).build();
    String batch = "{\"batch\": [{\"type\": \"identify\", \"userId\": \"u1\"}"
        + ", {\"type\": \"identify\", \"userId\": \"" + "y".repeat(300) + "\"}]}";
    assertThatThrownBy(() -> small.ingestJson(batch)).hasMessage("payload is 385 bytes, over the"
        + " limit of 300 bytes (Cdp.builder().maxBatchBytes / maxMessageBytes)");
  }

  @Test
  void idsThatCannotBeIds() {
    assertThat(reject("{\"type\": \"identify\", \"userId\": {\"id\": 1}}"))
        .hasMessage("userId: must be a string or an integer to serve as an id, got an object");
    assertThat(reject("{\"type\": \"identify\", \"userId\": 4.5}"))
        .hasMessage("userId: must be a string or an integer to serve as an id, got a decimal"
            + " number 4.5");
    assertThat(reject("{\"type\": \"identify\", \"anonymousId\": true}"))
        .hasMessage("anonymousId: must be a string or an integer to serve as an id, got a"
            + " boolean");
  }

  @Test
  void numericIdsAreStrings() {
    cdp.ingestJson("{\"type\": \"identify\", \"userId\": 42}");
    assertThat(cdp.profile(Identifier.of("user_id", "42"))).isPresent();
  }

  @Test
  void missingFieldsOfEachType() {
    assertThat(reject("{\"type\": \"track\", \"userId\": \"u1\"}"))
        .hasMessage("event: is missing: a track call needs an event name");
    assertThat(reject("{\"type\": \"group\", \"userId\": \"u1\"}"))
        .hasMessage("groupId: is missing: a group call needs a groupId");
    assertThat(reject("{\"type\": \"alias\", \"userId\": \"u1\"}"))
        .hasMessage("previousId: is missing: an alias call needs a previousId");
    assertThat(reject("{\"type\": \"alias\", \"previousId\": \"a1\", \"context\": {\"device\":"
        + " {\"id\": \"d1\"}}}"))
        .hasMessage("userId: is missing: an alias call needs the userId that previousId is an"
            + " alias of");
  }

  @Test
  void wronglyShapedObjects() {
    assertThat(reject("{\"type\": \"identify\", \"userId\": \"u1\", \"traits\": [1]}"))
        .hasMessage("traits: must be a JSON object, got an array");
    assertThat(reject("{\"type\": \"track\", \"event\": \"x\", \"userId\": \"u1\","
        + " \"properties\": \"none\"}"))
        .hasMessage("properties: must be a JSON object, got a string");
    assertThat(reject("{\"type\": \"identify\", \"userId\": \"u1\", \"context\": {\"externalIds\":"
        + " [{\"id\": \"sf1\", \"type\": \"salesforce_id\"}, {\"id\": \"x\"}]}}"))
        .hasMessage("context.externalIds[1].type: is missing or blank");
    assertThat(reject("{\"type\": \"identify\", \"userId\": \"u1\", \"context\": {\"externalIds\":"
        + " [{\"id\": \"x\", \"type\": \"Salesforce Id\"}]}}"))
        .hasMessage("context.externalIds[0]: identifier type may hold only letters, digits, '_',"
            + " '-' and '.': 'Salesforce Id'");
    assertThat(reject("{\"type\": \"identify\", \"userId\": \"u1\", \"context\": {\"consent\":"
        + " {\"categoryPreferences\": {\"marketing\": \"yes\"}}}}"))
        .hasMessage("context.consent.categoryPreferences.marketing: must be true or false, got a"
            + " string");
  }

  @Test
  void inABatchGoodMessagesApplyAndBadOnesAreReportedWithTheirIndex() {
    IngestResult r = cdp.ingestJson("{\"batch\": ["
        + "{\"type\": \"identify\", \"userId\": \"u1\", \"messageId\": \"ok-1\"},"
        + "{\"type\": \"identify\", \"userId\": \"u2\", \"timestamp\": \"yesterday\","
        + " \"messageId\": \"bad-1\"},"
        + "42,"
        + "{\"type\": \"track\", \"userId\": \"u3\", \"event\": \"x\", \"messageId\": \"ok-2\","
        + " \"traits\": {\"plan\": \"pro\"}}"
        + "]}");
    assertThat(r.applied()).isEqualTo(2);
    assertThat(r.rejected()).isEqualTo(2);
    assertThat(r.errors()).extracting(Throwable::getMessage).containsExactly(
        "batch[1].timestamp: 'yesterday' is not an ISO-8601 date-time with a zone, such as"
            + " 2024-07-18T20:09:12.978Z or 2024-07-18T22:09:12+02:00",
        "batch[2]: each message of a batch must be a JSON object, got an integer");
    assertThat(r.errors().get(0).index()).hasValue(1);
    assertThat(r.messages().get(1).messageId()).hasValue("bad-1");
    assertThat(cdp.profile(Identifier.of("user_id", "u2"))).isEmpty();
    assertThat(cdp.profile(Identifier.of("user_id", "u3")).orElseThrow().trait("plan"))
        .hasValue("pro");
    assertThat(cdp.profileCount()).isEqualTo(2);
  }

  @Test
  void callerMistakesInTheJavaApi() {
    assertThatThrownBy(() -> Event.track("Signed Up").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a track event needs at least one identifier (userId, anonymousId, email,"
            + " phone, deviceId or a custom identifier)");
    assertThatThrownBy(() -> Event.identify().userId("u1").trait("when", new Object()))
        .hasMessageStartingWith("trait when has an unsupported value type java.lang.Object");
    assertThatThrownBy(() -> Cdp.builder().maxMessageBytes(10).maxMessageBytes(20))
        .hasMessage("maxMessageBytes was already set to 10");
    assertThatThrownBy(() -> Cdp.builder().maxMessageBytes(1000).maxBatchBytes(10).build())
        .hasMessage("maxBatchBytes (10) must be at least maxMessageBytes (1000)");
    assertThatThrownBy(() -> Identifier.of("phone", "n/a"))
        .hasMessage("identifier phone has no usable value: 'n/a' (a phone needs digits)");
  }
}
