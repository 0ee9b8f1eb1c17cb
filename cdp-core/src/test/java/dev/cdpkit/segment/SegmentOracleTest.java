package dev.cdpkit.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdpkit.Cdp;
import dev.cdpkit.Event;
import dev.cdpkit.Identifier;
import dev.cdpkit.IdentityRules;
import dev.cdpkit.Profile;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The oracle follows the design's segment semantics, edge by edge. */
class SegmentOracleTest {
  private static final Instant NOW = Instant.parse("2026-06-30T12:00:00Z");
  private final Cdp cdp = Cdp.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC))
      .identityRules(IdentityRules.builder().build()).build();
  private final Map<String, SegmentExpr> defined = Map.of(
      "big", SegmentExpr.parse("ltv >= 1000"));
  private final SegmentOracle oracle = new SegmentOracle(NOW, defined::get, cdp::account);

  private Instant ago(Duration d) {
    return NOW.minus(d);
  }

  private boolean holds(String user, String expression) {
    Profile p = cdp.profile(Identifier.of("user_id", user)).orElseThrow();
    return oracle.test(SegmentExpr.parse(expression), p, cdp.events(p.id()));
  }

  private void setUp() {
    cdp.ingest(Event.identify().userId("ann").email("ann@x.io").trait("ltv", 1000)
        .trait("score", 2.5).trait("plan", "pro").trait("beta", true).trait("emoji", "\ud83d\ude00")
        .trait("last_login", ago(Duration.ofDays(3)).toString()).trait("tags", java.util.List.of("a"))
        .consent("marketing", true).timestamp(ago(Duration.ofDays(400))).build());
    cdp.ingest(Event.group("acme").userId("ann").trait("arr", 200_000)
        .timestamp(ago(Duration.ofDays(300))).build());
    cdp.ingest(Event.group("tiny").userId("ann").trait("arr", 10).timestamp(ago(Duration.ofDays(300)))
        .build());
    for (int i = 0; i < 6; i++) {
      cdp.ingest(Event.track("Feature Used").userId("ann").property("feature", i < 4 ? "A" : "B")
          .property("ms", i * 10).timestamp(ago(Duration.ofDays(10L * i + 1))).build());
    }
    cdp.ingest(Event.track("Feature Used").userId("ann").property("feature", "A")
        .timestamp(ago(Duration.ofDays(90))).build()); // exactly 90 days ago: outside 90d
    cdp.ingest(Event.track("Feature Used").userId("ann").property("feature", "A")
        .timestamp(NOW.plusSeconds(60)).build()); // in the future
    cdp.ingest(Event.page("Pricing").userId("ann").timestamp(ago(Duration.ofHours(1))).build());
    cdp.ingest(Event.identify().userId("bob").trait("ltv", "1000").timestamp(ago(Duration.ofDays(1)))
        .build());
  }

  @Test
  void semantics() {
    setUp();
    // numbers numerically whatever their type; a number never equals a string
    assertThat(holds("ann", "ltv > 999.5 and ltv = 1000.0 and score < 3")).isTrue();
    assertThat(holds("bob", "ltv = 1000")).isFalse();
    assertThat(holds("bob", "ltv != 1000")).as("wrongly typed is false, also for !=").isFalse();
    assertThat(holds("bob", "not ltv = 1000")).isTrue();
    assertThat(holds("bob", "ltv = '1000'")).isTrue();
    // missing values
    assertThat(holds("bob", "plan != 'pro'")).isFalse();
    assertThat(holds("bob", "not plan = 'pro'")).isTrue();
    assertThat(holds("bob", "plan is null and not plan is not null")).isTrue();
    assertThat(holds("bob", "plan not in ('free')")).isFalse();
    // strings by code point (UTF-16 order would say the opposite)
    assertThat(holds("ann", "emoji > '\\uffff'")).isTrue();
    // booleans only with = and !=
    assertThat(holds("ann", "beta = true and beta != false")).isTrue();
    assertThat(holds("ann", "beta >= false")).isFalse();
    // lists are not scalars
    assertThat(holds("ann", "tags = 'a' or tags in ('a')")).isFalse();
    // in, between, text
    assertThat(holds("ann", "plan in ('free', 'pro') and plan not in ('free')")).isTrue();
    assertThat(holds("ann", "ltv between 1000 and 1000 and ltv between 1 and 1e9")).isTrue();
    assertThat(holds("ann", "plan contains 'r' and plan starts with 'p' and plan ends with 'o'"))
        .isTrue();
    // within: now - d < t <= now
    assertThat(holds("ann", "last_login within 3d")).as("exactly 3 days ago").isFalse();
    assertThat(holds("ann", "last_login within 73h")).isTrue();
    // accounts: any matches
    assertThat(holds("ann", "account.arr >= 100000 and account.arr < 100")).isTrue();
    assertThat(holds("bob", "account.arr >= 0")).isFalse();
    // has, consented, in segment
    assertThat(holds("ann", "has email and consented 'marketing' and in segment 'big'"))
        .isTrue();
    assertThat(holds("bob", "has email or consented 'marketing' or in segment 'big'")).isFalse();
  }

  @Test
  void aggregates() {
    setUp();
    // six uses in the last 51 days, one exactly 90 days ago (out), one in the future
    assertThat(holds("ann", "count('Feature Used' within 90d) = 6")).isTrue();
    assertThat(holds("ann", "count('Feature Used') = 8")).isTrue();
    assertThat(holds("ann", "count('Feature Used' where feature = 'A' within 90d) = 4"))
        .isTrue();
    assertThat(holds("ann", "count('Feature Used' where feature = 'B' within 30d) = 0"))
        .isTrue();
    assertThat(holds("ann", "count('Pricing' within 2h) = 1")).as("pages by name").isTrue();
    assertThat(holds("bob", "count('Feature Used') = 0 and count('Feature Used') < 1")).isTrue();
    assertThat(holds("ann", "sum('Feature Used', ms within 90d) = 150")).isTrue();
    assertThat(holds("ann", "min('Feature Used', ms) = 0 and max('Feature Used', ms) = 50"))
        .isTrue();
    assertThat(holds("ann", "avg('Feature Used', ms within 90d) = 25")).isTrue();
    // over no numeric value there is no value: every comparison is false
    assertThat(holds("ann", "sum('Feature Used', feature) = 0")).isFalse();
    assertThat(holds("ann", "sum('Feature Used', feature) != 0")).isFalse();
    assertThat(holds("bob", "avg('Feature Used', ms) >= 0")).isFalse();
    assertThat(holds("bob", "not avg('Feature Used', ms) >= 0")).isTrue();
  }
}
