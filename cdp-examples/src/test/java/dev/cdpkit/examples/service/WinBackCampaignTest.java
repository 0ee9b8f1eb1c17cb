package dev.cdpkit.examples.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdpkit.Cdp;
import dev.cdpkit.Event;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * How a service tests its own segment logic with cdpkit: an in-memory {@code Cdp} (the default
 * store) and a fixed clock, a few events with explicit times, and assertions on who is selected.
 */
class WinBackCampaignTest {
  private static final Instant NOW = Instant.parse("2026-12-01T09:00:00Z");

  private static Cdp cdpAt(Instant now) {
    return Cdp.builder().clock(Clock.fixed(now, ZoneOffset.UTC)).build();
  }

  private static void customer(Cdp cdp, String email, String plan, boolean consent,
      Duration lastUse) {
    cdp.ingest(Event.identify().email(email).trait("plan", plan).consent("marketing", consent)
        .timestamp(NOW.minus(Duration.ofDays(200))).build());
    cdp.ingest(Event.track("Feature Used").email(email).timestamp(NOW.minus(lastUse)).build());
  }

  @Test
  void lapsedPayingCustomersWithConsentAreSelectedOnce() {
    try (Cdp cdp = cdpAt(NOW)) {
      customer(cdp, "ann@example.com", "pro", true, Duration.ofDays(45));   // lapsed: in
      customer(cdp, "bob@example.com", "pro", true, Duration.ofDays(3));    // active: out
      customer(cdp, "cat@example.com", "free", true, Duration.ofDays(60));  // not paying: out
      customer(cdp, "dan@example.com", "enterprise", false, Duration.ofDays(90)); // no consent
      WinBackCampaign campaign = new WinBackCampaign(cdp);

      assertThat(campaign.recipients()).containsExactly("ann@example.com");
      campaign.sent("ann@example.com");
      assertThat(campaign.recipients()).as("mailed this week").isEmpty();
    }
  }

  @Test
  void aWeekLaterTheyMayBeMailedAgain() {
    Instant mailed = NOW.minus(Duration.ofDays(8));
    try (Cdp cdp = cdpAt(NOW)) {
      customer(cdp, "ann@example.com", "pro", true, Duration.ofDays(45));
      cdp.ingest(Event.track("Email Sent").email("ann@example.com").timestamp(mailed).build());
      assertThat(new WinBackCampaign(cdp).recipients()).containsExactly("ann@example.com");
    }
  }
}
