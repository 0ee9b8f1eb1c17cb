package dev.cdpkit.testing;

import dev.cdpkit.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates small sets of messages whose identifiers collide often: a few user ids, anonymous ids
 * that share values with user ids (so aliases can mean either), emails in several spellings,
 * phones, devices, accounts, consents, traits set and unset, and timestamps with ties.
 */
public final class MessageGenerator {
  /** The earliest generated timestamp. */
  public static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");

  private static final String[] PLANS = {"free", "pro", "enterprise"};
  private static final String[] EMAILS = {"ann@example.com", " Ann@Example.com", "bob@example.com",
      "BOB@example.COM ", "cy@example.com"};
  private static final String[] PHONES = {"+1 (555) 010-0001", "+15550100001", "+1 555 010 0002"};

  private MessageGenerator() {}

  /** Between 1 and {@code max} messages with unique message ids. */
  public static List<Event> messages(Random r, int max) {
    int n = 1 + r.nextInt(max);
    List<Event> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(message(r, "m" + i));
    }
    return out;
  }

  /** One random message with the given id. */
  public static Event message(Random r, String messageId) {
    int kind = r.nextInt(20);
    Event.Builder b;
    if (kind < 6) {
      b = Event.identify();
    } else if (kind < 11) {
      b = Event.track(r.nextBoolean() ? "Feature Used" : "Ticket Created")
          .property("feature", r.nextBoolean() ? "A" : "B");
    } else if (kind < 13) {
      b = r.nextBoolean() ? Event.page("Home") : Event.screen();
    } else if (kind < 16) {
      b = Event.group("g" + r.nextInt(3)).trait("arr", (long) r.nextInt(5) * 50_000);
      if (r.nextBoolean()) {
        b.trait("industry", r.nextBoolean() ? "retail" : "telco");
      }
    } else {
      b = Event.alias("x" + r.nextInt(8)).userId("x" + r.nextInt(5));
    }
    int ids = kind >= 16 ? r.nextInt(2) : 1 + r.nextInt(3);
    for (int i = 0; i < ids; i++) {
      switch (r.nextInt(7)) {
        case 0:
          b.userId("x" + r.nextInt(5));
          break;
        case 1:
          b.anonymousId("x" + (3 + r.nextInt(6)));
          break;
        case 2:
          b.email(EMAILS[r.nextInt(EMAILS.length)]);
          break;
        case 3:
          b.phone(PHONES[r.nextInt(PHONES.length)]);
          break;
        case 4:
          b.deviceId("d" + r.nextInt(3));
          break;
        case 5:
          b.identifier("salesforce_id", "sf" + r.nextInt(3));
          break;
        default:
          b.anonymousId("x" + (3 + r.nextInt(6)));
          break;
      }
    }
    if (kind < 6 || r.nextInt(8) == 0) {
      if (kind < 16 && kind >= 13) {
        // group traits are the account's: leave them alone
      } else {
        if (r.nextBoolean()) {
          b.trait("plan", r.nextInt(5) == 0 ? null : PLANS[r.nextInt(PLANS.length)]);
        }
        if (r.nextBoolean()) {
          b.trait("ltv", (long) r.nextInt(2000));
        }
        if (r.nextInt(4) == 0) {
          b.trait("email", EMAILS[r.nextInt(EMAILS.length)]);
        }
      }
    }
    if (r.nextInt(5) == 0) {
      b.consent("marketing", r.nextBoolean());
    }
    // alias needs a user id; every other kind has at least one identifier already
    return b.timestamp(BASE.plusSeconds(r.nextInt(20))).messageId(messageId)
        .source(r.nextBoolean() ? "billing" : "crm").build();
  }
}
