package dev.cdpkit.jdbc;

import dev.cdpkit.Cdp;
import dev.cdpkit.Event;
import dev.cdpkit.ProfileId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Messages of a small customer base whose profiles merge, join accounts, give consent and use
 * features, with names and values a database could mangle; and the state a {@code Cdp} derives,
 * in a form that compares across stores and restarts.
 */
final class Scenario {
  static final Instant NOW = Instant.parse("2026-06-30T12:00:00Z");
  /** Text a store must keep exactly: quotes, SQL, NUL, 4-byte characters, backslashes. */
  static final String[] HOSTILE = {"o'brien", "x\"; DROP TABLE cdp_event; --", "nul\u0000byte",
      "\uD83D\uDE00", "SELECT 1", "back\\slash"};

  private Scenario() {}

  /** Message {@code i} of the scenario: the same message for the same {@code i}. */
  static Event message(int i) {
    Random r = new Random(i * 7919L);
    String user = "u" + r.nextInt(40) + (i % 9 == 0 ? HOSTILE[i % HOSTILE.length] : "");
    Instant at = NOW.minusSeconds(86_400L * r.nextInt(100) + r.nextInt(86_400));
    String id = "m-" + i + (i % 11 == 0 ? HOSTILE[i % HOSTILE.length] : "");
    switch (r.nextInt(7)) {
      case 0:
        return Event.identify().userId(user).trait("ltv", r.nextInt(3000))
            .trait("plan", r.nextBoolean() ? "pro" : "free")
            .trait(HOSTILE[r.nextInt(HOSTILE.length)], HOSTILE[r.nextInt(HOSTILE.length)])
            .consent("marketing", r.nextBoolean()).messageId(id).timestamp(at).build();
      case 1:
        return Event.identify().userId(user).anonymousId("anon-" + r.nextInt(60))
            .messageId(id).timestamp(at).build();
      case 2:
        return Event.group("acct-" + r.nextInt(5) + HOSTILE[r.nextInt(HOSTILE.length)])
            .userId(user).trait("arr", r.nextInt(200_000)).messageId(id).timestamp(at).build();
      case 3:
        return Event.track("Ticket Created").anonymousId("anon-" + r.nextInt(60))
            .messageId(id).timestamp(at).build();
      default:
        return Event.track(r.nextInt(4) == 0 ? HOSTILE[r.nextInt(HOSTILE.length)]
                : "Feature Used").userId(user)
            .property("feature", r.nextBoolean() ? "A" : "B").messageId(id).timestamp(at).build();
    }
  }

  static List<Event> messages(int n) {
    List<Event> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(message(i));
    }
    return out;
  }

  /**
   * Everything a {@code Cdp} holds of its profiles (not their ids, which depend on nothing but
   * the messages either): identifiers, traits, accounts, consents and event ids, sorted.
   */
  static TreeSet<String> state(Cdp cdp) {
    TreeSet<String> out = new TreeSet<>();
    cdp.forEachProfile(p -> {
      TreeSet<String> events = new TreeSet<>();
      cdp.events(p.id()).forEach(e -> events.add(e.messageId()));
      out.add(new TreeSet<>(p.identifiers().stream().map(Object::toString).toList()) + " "
          + new TreeMap<>(p.traits()) + " " + new TreeSet<>(p.accountIds()) + " "
          + new TreeMap<>(p.consents()) + " " + events);
    });
    return out;
  }

  /** The profile ids of a {@code Cdp}, sorted. */
  static TreeSet<ProfileId> ids(Cdp cdp) {
    TreeSet<ProfileId> out = new TreeSet<>();
    cdp.forEachProfile(p -> out.add(p.id()));
    return out;
  }
}
