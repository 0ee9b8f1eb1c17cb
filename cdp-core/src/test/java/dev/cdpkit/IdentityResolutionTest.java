package dev.cdpkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdpkit.identity.Explanation;
import dev.cdpkit.identity.IdentityLink;
import dev.cdpkit.identity.Rejection;
import dev.cdpkit.store.InMemoryProfileStore;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The blob-profile stories: shared devices, QA emails, placeholders; explain, split, rebuild. */
class IdentityResolutionTest {
  private static final Instant T0 = Instant.parse("2026-05-01T09:00:00Z");
  private final Cdp cdp = Cdp.builder().build();

  private static Instant t(int minutes) {
    return T0.plusSeconds(60L * minutes);
  }

  private static Identifier id(String type, String value) {
    return Identifier.of(type, value);
  }

  @Test
  void aSharedDeviceDoesNotGlueTwoUsersTogether() {
    cdp.ingest(Event.identify().userId("ann").deviceId("ipad-1").trait("plan", "pro")
        .timestamp(t(0)).messageId("m1").build());
    IngestResult bob = cdp.ingest(Event.identify().userId("bob").deviceId("ipad-1")
        .trait("plan", "free").timestamp(t(5)).messageId("m2").build());
    IngestResult.Message m = bob.messages().get(0);
    assertThat(m.merged()).isEmpty();
    assertThat(m.rejectedIdentifiers()).hasSize(1);
    assertThat(m.rejectedIdentifiers().get(0).identifier()).isEqualTo(id("device_id", "ipad-1"));
    assertThat(m.rejectedIdentifiers().get(0).reason())
        .isEqualTo("would put 2 user_id values on one profile (limit 1): [ann, bob]");
    assertThat(cdp.profileCount()).isEqualTo(2);
    assertThat(cdp.profile(id("user_id", "bob")).orElseThrow().trait("plan")).hasValue("free");
    assertThat(cdp.profile(id("device_id", "ipad-1")).orElseThrow().identifiers(Identifier.USER_ID))
        .containsExactly("ann");
  }

  @Test
  void placeholderAndQaValuesNeverMatchButTheEventIsKept() {
    Cdp rules = Cdp.builder().identityRules(IdentityRules.builder()
        .priority("user_id", "email").limit("user_id", 1).defaultLimit(5)
        .block("email", "Test@Test.com").blockPattern(IdentityRules.ANY_TYPE, "(?i)^null$")
        .build()).build();
    rules.ingest(Event.identify().userId("ann").email("test@test.com").timestamp(t(0)).build());
    rules.ingest(Event.identify().userId("bob").email(" TEST@test.com").timestamp(t(1)).build());
    IngestResult onlyPlaceholder = rules.ingest(Event.track("Signed Up").userId("NULL")
        .timestamp(t(2)).build());
    assertThat(rules.profileCount()).isEqualTo(2);
    assertThat(rules.profile(id("email", "test@test.com"))).isEmpty();
    IngestResult.Message m = onlyPlaceholder.messages().get(0);
    assertThat(m.status()).isEqualTo(IngestResult.Status.APPLIED);
    assertThat(m.profileId()).isEmpty();
    assertThat(m.rejectedIdentifiers().get(0).reason())
        .isEqualTo("blocked value: the identity rules never match or merge user_id:NULL");
    // the message is in the log: sending it again is a duplicate
    assertThat(rules.ingest(Event.track("Signed Up").userId("NULL").timestamp(t(2))
        .messageId(m.messageId().orElseThrow()).build()).duplicates()).isEqualTo(1);
  }

  @Test
  void theDefaultRulesBlockPlaceholders() {
    for (String placeholder : new String[] {"null", "undefined", "Anonymous", "unknown", "-1", "0",
        "000-000"}) {
      assertThat(IdentityRules.defaults().isBlocked(id("user_id", placeholder)))
          .as(placeholder).isTrue();
    }
    assertThat(IdentityRules.defaults().isBlocked(id("user_id", "10"))).isFalse();
    assertThat(IdentityRules.defaults().limit("user_id")).isEqualTo(1);
    assertThat(IdentityRules.defaults().limit("salesforce_id")).isEqualTo(5);
    assertThat(IdentityRules.builder().build().limit("user_id")).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void explainTellsWhichMessagesLinkedWhatAndWhatWasLeftOut() {
    cdp.ingest(Event.page("Pricing").anonymousId("web-1").timestamp(t(0)).messageId("visit")
        .source("web").build());
    cdp.ingest(Event.identify().userId("ann").email("ann@x.io").timestamp(t(10))
        .messageId("crm-1").source("crm").build());
    cdp.ingest(Event.identify().userId("ann").anonymousId("web-1").timestamp(t(20))
        .messageId("login").source("web").build());
    cdp.ingest(Event.identify().userId("bob").anonymousId("web-1").timestamp(t(30))
        .messageId("shared").source("web").build());
    Profile ann = cdp.profile(id("user_id", "ann")).orElseThrow();
    Explanation x = cdp.explain(ann.id()).orElseThrow();
    assertThat(x.links()).extracting(IdentityLink::messageId)
        .containsExactly("visit", "crm-1", "login");
    assertThat(x.links().get(2).merged()).hasSize(1);
    assertThat(x.toString()).isEqualTo("Profile " + ann.id() + " is anonymous_id:web-1,"
        + " email:ann@x.io, user_id:ann.\n"
        + "  2026-05-01T09:00:00Z  message visit from web linked anonymous_id:web-1\n"
        + "  2026-05-01T09:10:00Z  message crm-1 from crm linked email:ann@x.io, user_id:ann\n"
        + "  2026-05-01T09:20:00Z  message login from web merged profile "
        + x.links().get(2).merged().iterator().next() + "\n");
    Profile bob = cdp.profile(id("user_id", "bob")).orElseThrow();
    Rejection r = cdp.explain(bob.id()).orElseThrow().rejections().get(0);
    assertThat(r.identifier()).isEqualTo(id("anonymous_id", "web-1"));
    assertThat(r.messageId()).isEqualTo("shared");
    assertThat(cdp.explain(ProfileId.of("nobody"))).isEmpty();
  }

  @Test
  void removingAWrongIdentifierSplitsTheProfileAndMovesEventsAndTraits() {
    Cdp linking = Cdp.builder().identityRules(IdentityRules.builder().build()).build();
    linking.ingest(Event.identify().email("ann@x.io").deviceId("kiosk").trait("plan", "pro")
        .timestamp(t(0)).messageId("a1").build());
    linking.ingest(Event.identify().email("bob@x.io").deviceId("kiosk").trait("city", "Oslo")
        .timestamp(t(5)).messageId("b1").build());
    linking.ingest(Event.track("Feature Used").email("bob@x.io").timestamp(t(6)).messageId("b2")
        .build());
    linking.ingest(Event.track("Feature Used").deviceId("kiosk").timestamp(t(7)).messageId("k1")
        .build());
    assertThat(linking.profileCount()).isEqualTo(1);

    Set<ProfileId> now = linking.removeIdentifier(Identifier.of("device_id", " kiosk"));
    assertThat(linking.profileCount()).isEqualTo(2);
    assertThat(now).hasSize(2);
    Profile ann = linking.profile(id("email", "ann@x.io")).orElseThrow();
    Profile bob = linking.profile(id("email", "bob@x.io")).orElseThrow();
    assertThat(ann.id()).isNotEqualTo(bob.id());
    assertThat(ann.traits()).containsOnlyKeys("plan");
    assertThat(bob.traits()).containsOnlyKeys("city");
    assertThat(linking.events(bob.id())).extracting(Event::messageId).containsExactly("b1", "b2");
    assertThat(linking.events(ann.id())).extracting(Event::messageId).containsExactly("a1");
    assertThat(linking.profile(id("device_id", "kiosk"))).isEmpty();
    // a later message with the removed identifier does not glue them again
    linking.ingest(Event.identify().email("bob@x.io").deviceId("kiosk").timestamp(t(9)).build());
    linking.ingest(Event.identify().email("ann@x.io").deviceId("kiosk").timestamp(t(9)).build());
    assertThat(linking.profileCount()).isEqualTo(2);
    assertThat(now).containsExactlyInAnyOrder(ann.id(), bob.id());
  }

  @Test
  void aLateMessageReportsTheProfileThatHoldsItInTheEnd() {
    cdp.ingest(Event.identify().email("ann@x.io").timestamp(t(0)).build());
    cdp.ingest(Event.identify().anonymousId("web-1").email("ann@x.io").timestamp(t(10)).build());
    // in order, this page would start a profile of its own that the message at t(10) merges
    IngestResult late = cdp.ingest(Event.page("Home").anonymousId("web-1").timestamp(t(5))
        .build());
    Profile ann = cdp.profile(id("email", "ann@x.io")).orElseThrow();
    assertThat(late.profileId()).hasValue(ann.id());
    assertThat(cdp.profileCount()).isEqualTo(1);
  }

  @Test
  void aRemovalIsKeptInTheStoreAndSurvivesARestart() {
    InMemoryProfileStore store = new InMemoryProfileStore();
    Cdp first = Cdp.builder().store(store).identityRules(IdentityRules.builder().build()).build();
    first.ingest(Event.identify().email("ann@x.io").deviceId("kiosk").timestamp(t(5)).build());
    first.ingest(Event.identify().email("bob@x.io").deviceId("kiosk").timestamp(t(6)).build());
    // a late message makes the profile derive again: its identifiers are unlinked and relinked
    first.ingest(Event.track("Opened").email("ann@x.io").phone("+1 555 0100").timestamp(t(1))
        .build());
    assertThat(store.removedIdentifiers()).isEmpty();
    // a late user id changes how an alias read its previousId: anonymous_id:v1 is unlinked,
    // which is no removal
    first.ingest(Event.alias("v1").userId("u9").timestamp(t(5)).build());
    first.ingest(Event.identify().userId("v1").timestamp(t(0)).build());
    assertThat(first.profile(id("anonymous_id", "v1"))).isEmpty();
    assertThat(store.removedIdentifiers()).isEmpty();
    first.removeIdentifier(id("device_id", "kiosk"));
    assertThat(store.removedIdentifiers()).containsExactly(id("device_id", "kiosk"));

    Cdp restarted = Cdp.builder().store(store).identityRules(IdentityRules.builder().build())
        .build();
    restarted.ingest(Event.identify().email("ann@x.io").email("bob@x.io").deviceId("kiosk")
        .timestamp(t(9)).build());
    assertThat(restarted.profile(id("device_id", "kiosk"))).isEmpty();
    assertThat(restarted.profile(id("email", "ann@x.io")).orElseThrow().identifiers())
        .doesNotContain(id("device_id", "kiosk"));
  }

  @Test
  void changedRulesApplyToExistingDataWithRebuildIdentities() {
    InMemoryProfileStore store = new InMemoryProfileStore();
    Cdp before = Cdp.builder().store(store).identityRules(IdentityRules.builder().build())
        .build();
    before.ingest(Event.identify().userId("ann").email("qa@corp.io").timestamp(t(0)).build());
    before.ingest(Event.identify().userId("bob").email("qa@corp.io").timestamp(t(1)).build());
    assertThat(before.profileCount()).isEqualTo(1);

    Cdp after = Cdp.builder().store(store).identityRules(IdentityRules.builder()
        .block("email", "qa@corp.io").build()).build();
    after.rebuildIdentities();
    assertThat(after.profileCount()).isEqualTo(2);
    assertThat(after.profile(id("user_id", "ann")).orElseThrow().identifiers())
        .containsExactly(id("user_id", "ann"));
  }

  @Test
  void customNormalizersApplyToMessagesAndLookups() {
    Cdp upper = Cdp.builder().identityRules(IdentityRules.builder()
        .normalizer("salesforce_id", v -> v.toUpperCase(java.util.Locale.ROOT)).build()).build();
    upper.ingest(Event.identify().identifier("salesforce_id", "0031x").email("a@x.io")
        .timestamp(t(0)).build());
    upper.ingest(Event.identify().identifier("salesforce_id", "0031X").userId("ann")
        .timestamp(t(1)).build());
    assertThat(upper.profileCount()).isEqualTo(1);
    assertThat(upper.profile(id("salesforce_id", "0031x")).orElseThrow().identifiers())
        .contains(id("salesforce_id", "0031X"), id("user_id", "ann"));
  }

  @Test
  void rulesRefuseMistakesWithTheValueInTheMessage() {
    assertThatThrownBy(() -> IdentityRules.builder().limit("email", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit of email must be at least 1: 0");
    assertThatThrownBy(() -> IdentityRules.builder().limit("email", 2).limit("EMAIL", 3))
        .hasMessage("limit of email was already set to 2");
    assertThatThrownBy(() -> IdentityRules.builder().priority("email", "Email"))
        .hasMessage("priority names email twice");
    assertThatThrownBy(() -> IdentityRules.builder().blockPattern("phone", "(["))
        .hasMessageStartingWith("blockPattern for phone is not a valid regex: ");
    assertThatThrownBy(() -> Cdp.builder().identityRules(IdentityRules.defaults())
        .identityRules(IdentityRules.defaults()))
        .hasMessageStartingWith("identityRules was already set to IdentityRules{");
  }

  @Test
  void blockPatternsMatchAsRegexesWhateverTheirShape() {
    IdentityRules r = IdentityRules.builder().blockPattern("phone", "^0+$")
        .blockPattern("device_id", "^[ab-]*$").blockPattern("user_id", "^test-")
        .blockPattern("email", "(?i)^QA@").build();
    java.util.Random random = new java.util.Random(3);
    String alphabet = "0ab-1+z";
    for (int n = 0; n < 5000; n++) {
      StringBuilder v = new StringBuilder();
      for (int k = random.nextInt(6); k > 0; k--) {
        v.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String value = v.toString();
      if (!value.isBlank()) {
        assertThat(r.isBlocked(new Identifier("device_id", value))).as(value)
            .isEqualTo(java.util.regex.Pattern.compile("^[ab-]*$").matcher(value).find());
      }
      if (value.chars().anyMatch(Character::isDigit)) {
        Identifier phone = Identifier.of("phone", value);
        assertThat(r.isBlocked(phone)).as(value)
            .isEqualTo(phone.value().matches("0+"));
      }
    }
    assertThat(r.isBlocked(id("user_id", "test-1"))).isTrue();
    assertThat(r.isBlocked(id("user_id", "a-test-1"))).isFalse();
    assertThat(r.isBlocked(id("email", "qa@x.io"))).isTrue();
  }

  @Test
  void priorityOrdersTypesThenUnnamedTypesAlphabetically() {
    IdentityRules r = IdentityRules.builder().priority("email", "user_id").build();
    assertThat(r.compare(id("email", "a@x.io"), id("user_id", "u"))).isNegative();
    assertThat(r.compare(id("user_id", "u"), id("anonymous_id", "a"))).isNegative();
    assertThat(r.compare(id("anonymous_id", "a"), id("device_id", "d"))).isNegative();
  }
}
