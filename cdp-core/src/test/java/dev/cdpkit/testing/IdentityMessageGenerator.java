package dev.cdpkit.testing;

import dev.cdpkit.Event;
import dev.cdpkit.IdentityRules;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Small message sets built to stress identity rules: two to four identifiers a message from small
 * pools, so that limits are hit often; blocked placeholders ({@code test@test.com}, {@code null},
 * {@code 0000}); emails and phones in several spellings; aliases; timestamp ties.
 */
public final class IdentityMessageGenerator {
  /** The earliest generated timestamp. */
  public static final Instant BASE = Instant.parse("2026-02-01T00:00:00Z");

  /** Rules that the generated messages run into often. */
  public static final IdentityRules RULES = IdentityRules.builder()
      .priority("user_id", "email", "phone", "device_id", "anonymous_id")
      .limit("user_id", 1)
      .limit("email", 2)
      .defaultLimit(3)
      .block("email", "test@test.com")
      .blockPattern(IdentityRules.ANY_TYPE, "(?i)^(null|unknown)$")
      .blockPattern(IdentityRules.ANY_TYPE, "^[0-]*$")
      .build();

  private static final String[] EMAILS = {"ann@x.io", "bo@x.io", "cy@x.io", "di@x.io",
      "test@test.com"};
  private static final String[] PHONES = {"+15550001", "+15550002", "+15550003"};

  private IdentityMessageGenerator() {}

  /** Between 1 and {@code max} messages with unique ids, in canonical spellings. */
  public static List<Event> messages(Random r, int max) {
    return messages(r, max, false);
  }

  /**
   * As {@link #messages(Random, int)}; with {@code respell}, the same messages but with emails and
   * phones spelled differently (case, spaces, punctuation): they must resolve the same.
   */
  public static List<Event> messages(Random r, int max, boolean respell) {
    int n = 1 + r.nextInt(max);
    List<Event> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(message(r, "m" + i, respell));
    }
    return out;
  }

  private static Event message(Random r, String id, boolean respell) {
    int kind = r.nextInt(10);
    Event.Builder b = kind < 7 ? Event.identify()
        : kind < 9 ? Event.track("Feature Used") : Event.alias("u" + r.nextInt(4));
    if (kind == 9) {
      b.userId("u" + r.nextInt(4));
    }
    int ids = 1 + r.nextInt(kind == 9 ? 2 : 4);
    for (int k = 0; k < ids; k++) {
      switch (r.nextInt(6)) {
        case 0:
          b.userId(r.nextInt(8) == 0 ? "null" : "u" + r.nextInt(4));
          break;
        case 1:
          String email = EMAILS[r.nextInt(EMAILS.length)];
          b.email(respell ? " " + email.toUpperCase(Locale.ROOT) + " " : email);
          break;
        case 2:
          String phone = PHONES[r.nextInt(PHONES.length)];
          b.phone(respell ? "+1 (555) " + phone.substring(5, 8) + "-" + phone.substring(8)
              : phone);
          break;
        case 3:
          b.deviceId(r.nextInt(6) == 0 ? "0000" : "d" + r.nextInt(3));
          break;
        default:
          b.anonymousId("a" + r.nextInt(5));
          break;
      }
    }
    if (kind < 7 && r.nextBoolean()) {
      b.trait("plan", r.nextBoolean() ? "pro" : "free");
    }
    return b.timestamp(BASE.plusSeconds(r.nextInt(15))).messageId(id).source("test").build();
  }
}
