package dev.cdpkit.examples;

import static dev.cdpkit.segment.Segments.and;
import static dev.cdpkit.segment.Segments.count;
import static dev.cdpkit.segment.Segments.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdpkit.Cdp;
import dev.cdpkit.Event;
import dev.cdpkit.Identifier;
import dev.cdpkit.Profile;
import dev.cdpkit.segment.SegmentExpr;
import org.junit.jupiter.api.Test;

/** The README's quick start, as it is written there, does what its comments say. */
class ReadmeQuickStartTest {

  @Test
  void segmentLanguageSnippet() {
    SegmentExpr powerUsers = SegmentExpr.parse("""
        ltv > 1000
          and count("Feature Used" where feature = "A" within 90d) > 5
          and count("Ticket Created" within 90d) >= 3""");
    SegmentExpr same = and(path("ltv").gt(1000),
        count("Feature Used").where(path("feature").eq("A")).within(90, 'd').gt(5),
        count("Ticket Created").within(90, 'd').ge(3));
    assertThat(same).isEqualTo(powerUsers);
    assertThatThrownBy(() -> SegmentExpr.parse("ltv > ")).hasMessage("line 1, column 7:"
        + " expected a literal (a number, a string in quotes, true or false) but found the end"
        + " of the expression\nltv > \n      ^");
  }

  @Test
  void quickStart() {
    try (Cdp cdp = Cdp.builder().build()) {
      cdp.ingestJson("""
          {"type": "identify", "messageId": "bill-1", "timestamp": "2026-11-02T10:00:00Z",
           "context": {"externalIds": [{"id": "cus_42", "type": "stripe_customer_id"}]},
           "traits": {"email": "Jane@Example.com", "plan": "pro", "mrr": 299}}""");
      cdp.ingest(Event.identify().userId("u-17").anonymousId("web-9f3")
          .trait("email", "jane@example.com ").build());
      cdp.ingest(Event.track("Feature Used").userId("u-17").property("feature", "A").build());

      Profile jane = cdp.profile(Identifier.of("stripe_customer_id", "cus_42")).orElseThrow();
      assertThat(jane.identifiers()).extracting(Identifier::type).containsExactlyInAnyOrder(
          "email", "stripe_customer_id", "user_id", "anonymous_id");
      assertThat(jane.trait("plan")).hasValue("pro");
      assertThat(jane.provenance("plan").orElseThrow().messageId()).isEqualTo("bill-1");
      assertThat(cdp.events(jane.id())).extracting(e -> e.type().specName())
          .containsExactly("identify", "identify", "track");
      assertThat(cdp.profileCount()).isEqualTo(1);
    }
  }
}
