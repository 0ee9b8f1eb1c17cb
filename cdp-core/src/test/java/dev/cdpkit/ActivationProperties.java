package dev.cdpkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdpkit.destination.AudienceMember;
import dev.cdpkit.destination.InMemoryDestination;
import dev.cdpkit.destination.PiiHash;
import dev.cdpkit.testing.MutableClock;
import dev.cdpkit.testing.PropertyCheck;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Laws of live audiences: after any interleaving of messages, clock moves, merges, splits,
 * forgets and syncs, the membership listeners were told equals a fresh evaluation of every
 * segment, and each destination holds exactly its audience: the segment's members with
 * marketing consent, under the email cap, not taken by a higher-priority audience on the
 * channel, with the identifiers they have now (computed here from the profiles and their events,
 * not by the engine).
 */
class ActivationProperties {
  private static final Instant NOW = Instant.parse("2026-06-30T12:00:00Z");
  private static final Map<String, String> SEGMENTS = new TreeMap<>(Map.of(
      "rich", "ltv > 100",
      "active", "count(\"Feature Used\" within 1d) >= 1",
      "pro_active", "in segment \"active\" and plan = \"pro\"",
      "new", "signed_up_at within 2d"));
  private static final int CAP = 2;
  private static final Duration CAP_WINDOW = Duration.ofDays(1);

  /** One step of a run. */
  sealed interface Op permits Ingest, Move, Split, Forget, Sync {}

  record Ingest(Event event) implements Op {}

  record Move(Duration by) implements Op {}

  record Split(Identifier identifier) implements Op {}

  record Forget(Identifier identifier) implements Op {}

  record Sync() implements Op {}

  @Test
  void toldMembershipAndDestinationsFollowEveryChange() {
    PropertyCheck.forAll(Integer.getInteger("cdpkit.tries", 60), ActivationProperties::ops,
        PropertyCheck::shrinkList, ActivationProperties::check);
  }

  private static List<Op> ops(Random r) {
    List<Op> out = new ArrayList<>();
    int n = 10 + r.nextInt(50);
    for (int i = 0; i < n; i++) {
      int k = r.nextInt(20);
      if (k < 12) {
        out.add(new Ingest(message(r, "m" + i)));
      } else if (k < 15) {
        out.add(new Move(Duration.ofMinutes((long) (r.nextGaussian() * 24 * 60))));
      } else if (k < 16) {
        out.add(new Split(Identifier.of("anonymous_id", "a" + r.nextInt(4))));
      } else if (k < 17) {
        out.add(new Forget(r.nextBoolean() ? Identifier.of("user_id", "u" + r.nextInt(5))
            : Identifier.of("email", "u" + r.nextInt(5) + "@example.com")));
      } else {
        out.add(new Sync());
      }
    }
    return out;
  }

  private static Event message(Random r, String id) {
    String user = "u" + r.nextInt(5);
    Instant at = NOW.plus(Duration.ofMinutes((long) (r.nextGaussian() * 36 * 60)));
    Event.Builder b;
    switch (r.nextInt(6)) {
      case 0:
        b = Event.identify().trait("ltv", r.nextInt(300)).trait("plan",
            r.nextBoolean() ? "pro" : "free");
        if (r.nextBoolean()) {
          b.trait("email", (r.nextBoolean() ? " " : "") + user.toUpperCase() + "@Example.com");
        }
        if (r.nextInt(3) == 0) {
          b.trait("signed_up_at", at.toString());
        }
        break;
      case 1:
        b = Event.identify().consent("marketing", r.nextInt(3) > 0);
        break;
      case 2:
        b = Event.track("Email Sent");
        break;
      default:
        b = Event.track("Feature Used").property("feature", "A");
    }
    if (r.nextInt(4) == 0) {
      b.anonymousId("a" + r.nextInt(4)); // shared device ids merge and get split
    }
    if (r.nextInt(5) > 0) {
      b.userId(user);
    } else if (r.nextBoolean()) {
      b.anonymousId("a" + r.nextInt(4));
    } else {
      b.userId(user);
    }
    return b.messageId(id).timestamp(at).build();
  }

  private static final class Run {
    final MutableClock clock = new MutableClock(NOW);
    final Cdp cdp = Cdp.builder().clock(clock)
        .frequencyCap(FrequencyCap.of("email", CAP, CAP_WINDOW)).build();
    final Map<String, Set<ProfileId>> told = new TreeMap<>();
    final InMemoryDestination offers = new InMemoryDestination("marketing", "email");
    final InMemoryDestination nudges = new InMemoryDestination("marketing", "email");
    final InMemoryDestination push = new InMemoryDestination("marketing", "push");
    final List<Audience> audiences = new ArrayList<>();

    Run() {
      cdp.onMembershipChange(c -> {
        Set<ProfileId> members = told.computeIfAbsent(c.segment(), k -> new HashSet<>());
        boolean changed = c.entered() ? members.add(c.profileId()) : members.remove(c.profileId());
        assertThat(changed).as("told once per real change: %s", c).isTrue();
      });
      SEGMENTS.forEach(cdp::defineSegment);
      add(Audience.builder("offers", "rich", offers).identifiers("email").priority(1).build());
      add(Audience.builder("nudges", "active", nudges).identifiers("email").priority(2).build());
      add(Audience.builder("push", "pro_active", push).hashed("email").build());
    }

    void add(Audience a) {
      audiences.add(a);
      cdp.addAudience(a);
    }
  }

  private static void check(List<Op> ops) {
    Run run = new Run();
    for (Op op : ops) {
      if (op instanceof Ingest) {
        run.cdp.ingest(((Ingest) op).event());
      } else if (op instanceof Move) {
        run.clock.advance(((Move) op).by());
      } else if (op instanceof Split) {
        run.cdp.removeIdentifier(((Split) op).identifier());
      } else if (op instanceof Forget) {
        run.cdp.forget(((Forget) op).identifier());
      } else {
        run.cdp.syncAll().forEach(r -> assertThat(r.error()).isEmpty());
        destinationsHoldTheirAudiences(run, op);
      }
      run.cdp.tick();
      toldEqualsFresh(run, op);
    }
    run.cdp.syncAll();
    destinationsHoldTheirAudiences(run, "the end");
    run.cdp.close();
  }

  private static void toldEqualsFresh(Run run, Object after) {
    for (String name : SEGMENTS.keySet()) {
      Set<ProfileId> fresh = run.cdp.segment(name).orElseThrow().profiles().map(Profile::id)
          .collect(Collectors.toSet());
      assertThat(run.told.getOrDefault(name, Set.of())).as("%s after %s at %s", name, after,
          run.clock.instant()).isEqualTo(fresh);
    }
  }

  private static void destinationsHoldTheirAudiences(Run run, Object after) {
    Instant now = run.clock.instant();
    Map<String, Set<ProfileId>> wants = new HashMap<>();
    for (Audience a : run.audiences) {
      Set<ProfileId> in = new HashSet<>();
      run.cdp.segment(a.segment()).orElseThrow().profiles().forEach(p -> {
        boolean consented = Boolean.TRUE.equals(p.consents().get("marketing"));
        boolean capped = a.destination().channel().equals("email") && contacts(run, p, now) >= CAP;
        if (consented && !capped) {
          in.add(p.id());
        }
      });
      wants.put(a.name(), in);
    }
    for (Audience a : run.audiences) {
      Map<ProfileId, List<String>> expected = new TreeMap<>();
      for (ProfileId id : wants.get(a.name())) {
        boolean taken = run.audiences.stream().anyMatch(b -> b != a
            && b.destination().channel().equals(a.destination().channel())
            && b.priority() > a.priority() && wants.get(b.name()).contains(id));
        Profile p = run.cdp.profile(id).orElseThrow();
        List<String> emails = new ArrayList<>(new TreeSet<>(p.identifiers("email")));
        if (!taken && !emails.isEmpty()) {
          expected.put(id, a.hashed().isEmpty() ? emails
              : emails.stream().map(PiiHash::hashEmail).sorted().toList());
        }
      }
      InMemoryDestination d = (InMemoryDestination) a.destination();
      Map<ProfileId, List<String>> held = new TreeMap<>();
      for (AudienceMember m : d.members(a.name()).values()) {
        held.put(m.profileId(), m.identifiers().values().iterator().next());
      }
      assertThat(held).as("%s after %s at %s", a.name(), after, now).isEqualTo(expected);
    }
  }

  private static long contacts(Run run, Profile p, Instant now) {
    return run.cdp.events(p.id()).stream()
        .filter(e -> e.name().map("Email Sent"::equals).orElse(false))
        .filter(e -> {
          Instant t = e.timestamp().orElseThrow();
          return t.isAfter(now.minus(CAP_WINDOW)) && !t.isAfter(now);
        }).count();
  }
}
