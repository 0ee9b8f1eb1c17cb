package dev.cdpkit.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdpkit.Cdp;
import dev.cdpkit.Event;
import dev.cdpkit.IdentityRules;
import dev.cdpkit.Profile;
import dev.cdpkit.ProfileId;
import dev.cdpkit.segment.SegmentExpr.Aggregate;
import dev.cdpkit.segment.SegmentExpr.AggregateCompare;
import dev.cdpkit.segment.SegmentExpr.And;
import dev.cdpkit.segment.SegmentExpr.Between;
import dev.cdpkit.segment.SegmentExpr.Compare;
import dev.cdpkit.segment.SegmentExpr.Consented;
import dev.cdpkit.segment.SegmentExpr.Fn;
import dev.cdpkit.segment.SegmentExpr.Has;
import dev.cdpkit.segment.SegmentExpr.InList;
import dev.cdpkit.segment.SegmentExpr.InSegment;
import dev.cdpkit.segment.SegmentExpr.IsNull;
import dev.cdpkit.segment.SegmentExpr.Not;
import dev.cdpkit.segment.SegmentExpr.Op;
import dev.cdpkit.segment.SegmentExpr.Or;
import dev.cdpkit.segment.SegmentExpr.Path;
import dev.cdpkit.segment.SegmentExpr.Span;
import dev.cdpkit.segment.SegmentExpr.TextMatch;
import dev.cdpkit.segment.SegmentExpr.TextOp;
import dev.cdpkit.segment.SegmentExpr.Within;
import dev.cdpkit.testing.MutableClock;
import dev.cdpkit.testing.PropertyCheck;
import dev.cdpkit.testing.SnapshotKeepingStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The bitmap engine returns exactly the oracle's members: for generated profiles (traits of every
 * type, mistyped and missing values, nested maps, lists), events (at window edges, in the future,
 * with mistyped properties), accounts, consents, identifiers, clock positions and expressions
 * (every predicate and aggregate form, nested and/or/not, segment references), also after further
 * ingestion (merges included) and after the clock moves forwards and back.
 */
class SegmentEngineProperties {
  private static final Instant START = Instant.parse("2026-06-30T12:00:00Z");
  private static final String[] USERS = {"u0", "u1", "u2", "u3", "u4", "u5", "u6", "u7"};
  private static final String[] PROFILE_PATHS = {"ltv", "plan", "beta", "last_login", "tags",
      "address", "address.city", "missing", "account.arr", "account.tier", "account.gone"};
  private static final String[] PROPERTY_PATHS = {"feature", "ms", "meta.kind", "nothing"};
  private static final String[] EVENTS = {"Feature Used", "Ticket Created", "Pricing", "Nope"};
  private static final String[] STRINGS = {"", "A", "B", "pro", "free", "Paris", "paris",
      "\ud83d\ude00", "pr", "ro", "\uffff"};
  private static final Span[] SPANS = {new Span(90, 'd'), new Span(1, 'h'), new Span(30, 's'),
      new Span(2, 'w'), new Span(0, 'd'), new Span(5, 'm')};

  @Test
  void engineEqualsOracle() {
    PropertyCheck.forAll(Integer.getInteger("cdpkit.tries", 120), World::new, w -> List.of(),
        World::check);
  }

  /** One generated world: messages in three waves, expressions, clock moves. */
  static final class World {
    final long seed;
    final List<Event> first = new ArrayList<>();
    final List<Event> second = new ArrayList<>();
    final List<SegmentExpr> expressions = new ArrayList<>();
    final Map<String, SegmentExpr> segments = new HashMap<>();
    final List<Duration> moves = new ArrayList<>();
    int messages;
    boolean referencesAllowed;
    /** Whether the first Cdp closes (leaving a snapshot) before the second opens. */
    final boolean closeFirst;

    World(Random r) {
      this.seed = r.nextLong();
      this.closeFirst = r.nextBoolean();
      // every event name carries 'ms' as a number somewhere, so aggregates over it are defined
      first.add(Event.track("Feature Used").userId("u0").property("ms", 3L).messageId("n0")
          .timestamp(time(r)).build());
      first.add(Event.track("Ticket Created").userId("u1").property("ms", 1.5).messageId("n1")
          .timestamp(time(r)).build());
      first.add(Event.page("Pricing").userId("u2").property("ms", 2L).messageId("n2")
          .timestamp(time(r)).build());
      for (int i = 0, n = 10 + r.nextInt(40); i < n; i++) {
        first.add(message(r));
      }
      for (int i = 0, n = 1 + r.nextInt(15); i < n; i++) {
        second.add(message(r));
      }
      referencesAllowed = false;
      segments.put("big", expr(r, 1));
      referencesAllowed = true;
      segments.put("bigger", new And(List.of(new InSegment("big"), expr(r, 1))));
      for (int i = 0; i < 12; i++) {
        expressions.add(expr(r, 3));
      }
      for (int i = 0; i < 3; i++) {
        moves.add(r.nextInt(4) == 0 ? Duration.ofDays(90) // exactly a window
            : Duration.ofMillis((long) (r.nextGaussian() * Duration.ofDays(20).toMillis())));
      }
    }

    void check() {
      MutableClock clock = new MutableClock(START);
      SnapshotKeepingStore store = new SnapshotKeepingStore();
      IdentityRules rules = IdentityRules.builder().limit("user_id", 1).build();
      Cdp before = Cdp.builder().store(store).clock(clock).identityRules(rules).build();
      first.forEach(before::ingest);
      define(before);
      compare(before, clock, "after the first messages");
      if (closeFirst) {
        before.close();
      }
      // a Cdp opened on the same store restores the snapshot the first left (closeFirst) or
      // indexes the store afresh: later changes go on top of restored or built indexes
      int passes = store.fullPasses();
      try (Cdp cdp = Cdp.builder().store(store).clock(clock).identityRules(rules).build()) {
        if (closeFirst) {
          assertThat(store.fullPasses()).as("restored from the snapshot").isEqualTo(passes);
        }
        define(cdp);
        compare(cdp, clock, closeFirst ? "restored from a snapshot" : "opened on the store");
        second.forEach(cdp::ingest);
        compare(cdp, clock, "after more messages");
        for (Duration d : moves) {
          clock.advance(d);
          compare(cdp, clock, "after the clock moved by " + d);
        }
      }
    }

    private void define(Cdp cdp) {
      cdp.defineSegment("big", segments.get("big"));
      cdp.defineSegment("bigger", segments.get("bigger"));
    }

    private void compare(Cdp cdp, MutableClock clock, String when) {
      SegmentOracle oracle = new SegmentOracle(clock.instant(), segments::get, cdp::account);
      List<Profile> all = new ArrayList<>();
      cdp.forEachProfile(all::add);
      Map<ProfileId, List<Event>> events = new HashMap<>();
      for (Profile p : all) {
        events.put(p.id(), cdp.events(p.id()));
      }
      List<SegmentExpr> checked = new ArrayList<>(expressions);
      checked.add(new InSegment("bigger"));
      for (SegmentExpr e : checked) {
        Set<String> expected = all.stream().filter(p -> oracle.test(e, p, events.get(p.id())))
            .map(p -> p.id().value()).collect(Collectors.toCollection(TreeSet::new));
        Set<String> actual = cdp.evaluate(e).profiles().map(p -> p.id().value())
            .collect(Collectors.toCollection(TreeSet::new));
        assertThat(actual).as("%s, %s: %s", when, clock.instant(), e.render())
            .isEqualTo(expected);
        assertThat(cdp.segment("big").orElseThrow().count()).isEqualTo(all.stream()
            .filter(p -> oracle.test(segments.get("big"), p, events.get(p.id()))).count());
      }
    }

    private Event message(Random r) {
      String id = "m" + messages++;
      Instant t = time(r);
      String user = USERS[r.nextInt(USERS.length)];
      Event.Builder b;
      switch (r.nextInt(10)) {
        case 0:
        case 1:
          b = Event.identify();
          for (int i = 0, n = r.nextInt(4); i < n; i++) {
            String path = PROFILE_PATHS[r.nextInt(6)];
            b.trait(path, path.equals("address") ? Map.of("city", value(r))
                : path.equals("tags") ? List.of(value(r)) : path.equals("last_login")
                ? time(r).toString() : value(r));
          }
          if (r.nextInt(3) == 0) {
            b.consent(r.nextBoolean() ? "marketing" : "analytics", r.nextBoolean());
          }
          if (r.nextInt(4) == 0) {
            b.email(user + "@x.io");
          }
          if (r.nextInt(6) == 0) { // links two users' anonymous ids: merges, or a rejection
            b.anonymousId("anon-" + USERS[r.nextInt(USERS.length)]);
          }
          break;
        case 2:
          b = Event.group(r.nextBoolean() ? "acme" : "tiny");
          if (r.nextBoolean()) {
            b.trait("arr", r.nextBoolean() ? (Object) (long) r.nextInt(300) : "big");
          }
          if (r.nextBoolean()) {
            b.trait("tier", STRINGS[r.nextInt(STRINGS.length)]);
          }
          break;
        case 3:
          b = Event.page(r.nextBoolean() ? "Pricing" : "Home");
          break;
        default:
          b = Event.track(EVENTS[r.nextInt(2)]);
          if (r.nextInt(4) > 0) {
            b.property("feature", r.nextBoolean() ? "A" : r.nextBoolean() ? "B" : 7L);
          }
          if (r.nextInt(3) > 0) {
            b.property("ms", value(r));
          }
          if (r.nextInt(5) == 0) {
            b.property("meta", Map.of("kind", value(r)));
          }
      }
      if (r.nextInt(8) == 0) {
        b.anonymousId("anon-" + user);
      }
      return b.userId(user).messageId(id).timestamp(t).build();
    }

    private static Instant time(Random r) {
      switch (r.nextInt(6)) {
        case 0:
          return START.minus(Duration.ofDays(90)); // exactly on the edge
        case 1:
          return START.minus(Duration.ofDays(90)).plusMillis(1);
        case 2:
          return START.plusSeconds(r.nextInt(3600)); // the future
        case 3:
          return START.minusSeconds(r.nextInt(7200));
        default:
          return START.minus(Duration.ofMinutes(r.nextInt(200 * 24 * 60)));
      }
    }

    private static Object value(Random r) {
      switch (r.nextInt(8)) {
        case 0:
          return (long) r.nextInt(20) - 5;
        case 1:
          return r.nextInt(20) - 5 + 0.5;
        case 2:
          return r.nextBoolean();
        case 3:
          return (double) r.nextInt(5);
        case 4:
          return -0.0;
        default:
          return STRINGS[r.nextInt(STRINGS.length)];
      }
    }

    private static Object literal(Random r) {
      Object v = value(r);
      return r.nextInt(10) == 0 ? (Object) (long) r.nextInt(300) : v;
    }

    SegmentExpr expr(Random r, int depth) {
      int k = depth <= 0 ? 3 + r.nextInt(12) : r.nextInt(15);
      switch (k) {
        case 0:
          return new And(terms(r, depth));
        case 1:
          return new Or(terms(r, depth));
        case 2:
          return new Not(expr(r, depth - 1));
        case 9:
        case 10:
        case 11:
          return aggregate(r, depth);
        case 12:
          return r.nextBoolean() && referencesAllowed ? new InSegment("big") : new Has(r.nextBoolean() ? "email"
              : "anonymous_id");
        case 13:
          return new Consented(r.nextBoolean() ? "marketing" : "analytics");
        default:
          return leaf(r, Path.of(PROFILE_PATHS[r.nextInt(PROFILE_PATHS.length)]));
      }
    }

    private SegmentExpr aggregate(Random r, int depth) {
      Fn fn = r.nextInt(3) == 0 ? Fn.COUNT : Fn.values()[r.nextInt(Fn.values().length)];
      Optional<SegmentExpr> where = r.nextInt(3) == 0 ? Optional.of(whereExpr(r, 1))
          : Optional.empty();
      Optional<Span> within = r.nextBoolean() ? Optional.of(SPANS[r.nextInt(SPANS.length)])
          : Optional.empty();
      Aggregate a = new Aggregate(fn, EVENTS[r.nextInt(EVENTS.length)],
          fn == Fn.COUNT ? Optional.empty() : Optional.of(Path.of("ms")), where, within);
      Number n = r.nextBoolean() ? (Number) (long) (r.nextInt(6) - 1) : (Number) (r.nextInt(8) - 2
          + (r.nextBoolean() ? 0.5 : 0.0));
      return new AggregateCompare(a, Op.values()[r.nextInt(6)], n);
    }

    private SegmentExpr whereExpr(Random r, int depth) {
      switch (depth <= 0 ? 3 : r.nextInt(5)) {
        case 0:
          return new And(List.of(whereExpr(r, depth - 1), whereExpr(r, depth - 1)));
        case 1:
          return new Not(whereExpr(r, depth - 1));
        default:
          SegmentExpr leaf;
          do {
            leaf = leaf(r, Path.of(PROPERTY_PATHS[r.nextInt(PROPERTY_PATHS.length)]));
          } while (leaf instanceof Within);
          return leaf;
      }
    }

    private SegmentExpr leaf(Random r, Path path) {
      switch (r.nextInt(7)) {
        case 0:
          List<Object> values = new ArrayList<>();
          for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
            values.add(literal(r));
          }
          return new InList(path, r.nextBoolean(), values);
        case 1:
          Object low = literal(r);
          return new Between(path, low, r.nextInt(4) == 0 ? literal(r)
              : low instanceof Number ? (Object) (((Number) low).doubleValue() + r.nextInt(10))
              : low);
        case 2:
          return new IsNull(path, r.nextBoolean());
        case 3:
          return new TextMatch(path, TextOp.values()[r.nextInt(3)],
              STRINGS[r.nextInt(STRINGS.length)]);
        case 4:
          return new Within(path, SPANS[r.nextInt(SPANS.length)]);
        default:
          return new Compare(path, Op.values()[r.nextInt(6)], literal(r));
      }
    }

    private List<SegmentExpr> terms(Random r, int depth) {
      List<SegmentExpr> out = new ArrayList<>();
      for (int i = 0, n = 2 + r.nextInt(3); i < n; i++) {
        out.add(expr(r, depth - 1));
      }
      return out;
    }

    @Override
    public String toString() {
      return "World{" + (first.size() + second.size()) + " messages, expressions="
          + expressions.stream().map(SegmentExpr::render).collect(Collectors.toList()) + "}";
    }
  }
}
