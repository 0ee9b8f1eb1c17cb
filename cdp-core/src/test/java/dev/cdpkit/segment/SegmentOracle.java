package dev.cdpkit.segment;

import dev.cdpkit.Account;
import dev.cdpkit.Event;
import dev.cdpkit.EventType;
import dev.cdpkit.Profile;
import dev.cdpkit.internal.Values;
import dev.cdpkit.segment.SegmentExpr.Aggregate;
import dev.cdpkit.segment.SegmentExpr.AggregateCompare;
import dev.cdpkit.segment.SegmentExpr.And;
import dev.cdpkit.segment.SegmentExpr.Between;
import dev.cdpkit.segment.SegmentExpr.Compare;
import dev.cdpkit.segment.SegmentExpr.Consented;
import dev.cdpkit.segment.SegmentExpr.Has;
import dev.cdpkit.segment.SegmentExpr.InList;
import dev.cdpkit.segment.SegmentExpr.InSegment;
import dev.cdpkit.segment.SegmentExpr.IsNull;
import dev.cdpkit.segment.SegmentExpr.Not;
import dev.cdpkit.segment.SegmentExpr.Op;
import dev.cdpkit.segment.SegmentExpr.Or;
import dev.cdpkit.segment.SegmentExpr.Path;
import dev.cdpkit.segment.SegmentExpr.TextMatch;
import dev.cdpkit.segment.SegmentExpr.Within;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The test oracle of the segment engine: a plain evaluator that walks the expression for one
 * profile at a time, over its traits, events, accounts, identifiers and consents, written for
 * clarity only. The semantics are the design's (binding):
 *
 * <ul>
 *   <li>two-valued logic: a predicate on a missing or wrongly typed value is false (also
 *       {@code !=} and {@code not in}); {@code not X} holds exactly when {@code X} does not;
 *   <li>numbers compare numerically whatever their Java type, strings by code point, booleans only
 *       with {@code =} and {@code !=}; a number never equals a string;
 *   <li>{@code account.} paths hold when any of the profile's accounts satisfies the predicate;
 *   <li>{@code within d}: a timestamp {@code t} with {@code now - d < t <= now};
 *   <li>aggregates take the profile's events with that name (track event name, page or screen
 *       name), whose {@code where} holds on their properties and whose time is within the window;
 *       {@code count} of none is 0; {@code sum}, {@code min}, {@code max}, {@code avg} take the
 *       events whose property is a number, and over none have no value, so every comparison with
 *       them is false; sums and means are exact ({@code avg op x} is {@code sum op x * n});
 *   <li>times compare to the millisecond.
 * </ul>
 *
 * <p>Not thread-safe.
 */
public final class SegmentOracle {
  private final Instant now;
  private final Function<String, SegmentExpr> segments;
  private final Function<String, Optional<Account>> accounts;

  /**
   * An oracle at {@code now}, resolving {@code in segment} names with {@code segments} and account
   * ids with {@code accounts}.
   */
  public SegmentOracle(Instant now, Function<String, SegmentExpr> segments,
      Function<String, Optional<Account>> accounts) {
    this.now = now;
    this.segments = segments;
    this.accounts = accounts;
  }

  /** Whether {@code profile}, with its {@code events}, satisfies {@code e}. */
  public boolean test(SegmentExpr e, Profile profile, List<Event> events) {
    if (e instanceof And) {
      return ((And) e).terms().stream().allMatch(t -> test(t, profile, events));
    }
    if (e instanceof Or) {
      return ((Or) e).terms().stream().anyMatch(t -> test(t, profile, events));
    }
    if (e instanceof Not) {
      return !test(((Not) e).expr(), profile, events);
    }
    if (e instanceof InSegment) {
      return test(segments.apply(((InSegment) e).name()), profile, events);
    }
    if (e instanceof Has) {
      return !profile.identifiers(((Has) e).type()).isEmpty();
    }
    if (e instanceof Consented) {
      return Boolean.TRUE.equals(profile.consents().get(((Consented) e).purpose()));
    }
    if (e instanceof AggregateCompare) {
      AggregateCompare a = (AggregateCompare) e;
      if (a.aggregate().fn() == SegmentExpr.Fn.AVG) {
        // the mean, exactly: sum / n op x is sum op x * n
        List<Number> values = numericValues(a.aggregate(), events);
        if (values.isEmpty()) {
          return false;
        }
        BigDecimal sum = values.stream().map(SegmentOracle::decimal)
            .reduce(BigDecimal.ZERO, BigDecimal::add);
        return compare(sum, a.op(), decimal(a.value()).multiply(BigDecimal.valueOf(values.size())));
      }
      Optional<Number> value = aggregate(a.aggregate(), events);
      return value.isPresent() && compare(value.get(), a.op(), a.value());
    }
    Path path = pathOf(e);
    if (path.text().startsWith("account.")) {
      String rest = path.text().substring("account.".length());
      for (String id : profile.accountIds()) {
        Optional<Account> account = accounts.apply(id);
        if (account.isPresent() && predicate(e, account.get().trait(rest))) {
          return true;
        }
      }
      return false;
    }
    return predicate(e, profile.trait(path.text()));
  }

  /** A predicate on the value at its path, in a where clause: the event's properties. */
  private boolean testProperties(SegmentExpr e, Map<String, Object> properties) {
    if (e instanceof And) {
      return ((And) e).terms().stream().allMatch(t -> testProperties(t, properties));
    }
    if (e instanceof Or) {
      return ((Or) e).terms().stream().anyMatch(t -> testProperties(t, properties));
    }
    if (e instanceof Not) {
      return !testProperties(((Not) e).expr(), properties);
    }
    if (e instanceof InSegment || e instanceof Has || e instanceof Consented
        || e instanceof AggregateCompare) {
      return false; // no meaning for an event's properties
    }
    return predicate(e, Values.path(properties, pathOf(e).text()));
  }

  private static Path pathOf(SegmentExpr e) {
    if (e instanceof Compare) {
      return ((Compare) e).path();
    }
    if (e instanceof InList) {
      return ((InList) e).path();
    }
    if (e instanceof Between) {
      return ((Between) e).path();
    }
    if (e instanceof IsNull) {
      return ((IsNull) e).path();
    }
    if (e instanceof TextMatch) {
      return ((TextMatch) e).path();
    }
    return ((Within) e).path();
  }

  private boolean predicate(SegmentExpr e, Optional<Object> found) {
    if (e instanceof IsNull) {
      return found.isPresent() == ((IsNull) e).negated();
    }
    if (found.isEmpty()) {
      return false;
    }
    Object v = found.get();
    if (e instanceof Compare) {
      Compare c = (Compare) e;
      return compare(v, c.op(), c.value());
    }
    if (e instanceof InList) {
      InList in = (InList) e;
      if (!isScalar(v)) {
        return false;
      }
      boolean any = in.values().stream().anyMatch(x -> compare(v, Op.EQ, x));
      return in.negated() != any;
    }
    if (e instanceof Between) {
      Between b = (Between) e;
      return compare(v, Op.GE, b.low()) && compare(v, Op.LE, b.high());
    }
    if (e instanceof TextMatch) {
      TextMatch t = (TextMatch) e;
      if (!(v instanceof String)) {
        return false;
      }
      String s = (String) v;
      switch (t.op()) {
        case CONTAINS:
          return s.contains(t.text());
        case STARTS_WITH:
          return s.startsWith(t.text());
        default:
          return s.endsWith(t.text());
      }
    }
    Within w = (Within) e;
    Optional<Instant> at = instant(v);
    return at.isPresent() && inWindow(at.get(), w.span().toDuration().toMillis());
  }

  /** {@code now - d < t <= now}, to the millisecond (the design's precision). */
  private boolean inWindow(Instant t, long millis) {
    long at = t.toEpochMilli();
    long end = now.toEpochMilli();
    return at > end - millis && at <= end;
  }

  private List<Number> numericValues(Aggregate a, List<Event> events) {
    List<Number> values = new ArrayList<>();
    for (Event e : events) {
      if (takes(a, e)) {
        Optional<Object> p = Values.path(e.properties(), a.property().get().text());
        if (p.isPresent() && p.get() instanceof Number) {
          values.add((Number) p.get());
        }
      }
    }
    return values;
  }

  private boolean takes(Aggregate a, Event e) {
    boolean named = (e.type() == EventType.TRACK || e.type() == EventType.PAGE
        || e.type() == EventType.SCREEN) && e.name().map(a.event()::equals).orElse(false);
    if (!named) {
      return false;
    }
    Instant t = e.timestamp().orElseThrow();
    if (a.within().isPresent() && !inWindow(t, a.within().get().toDuration().toMillis())) {
      return false;
    }
    return a.where().isEmpty() || testProperties(a.where().get(), e.properties());
  }

  private Optional<Number> aggregate(Aggregate a, List<Event> events) {
    List<Number> values = new ArrayList<>();
    long count = 0;
    for (Event e : events) {
      if (!takes(a, e)) {
        continue;
      }
      count++;
      if (a.property().isPresent()) {
        Optional<Object> p = Values.path(e.properties(), a.property().get().text());
        if (p.isPresent() && p.get() instanceof Number) {
          values.add((Number) p.get());
        }
      }
    }
    switch (a.fn()) {
      case COUNT:
        return Optional.of(count);
      case SUM:
        return values.isEmpty() ? Optional.empty()
            : Optional.of(values.stream().map(SegmentOracle::decimal)
                .reduce(BigDecimal.ZERO, BigDecimal::add));
      case MIN:
        return values.stream().map(SegmentOracle::decimal).min(BigDecimal::compareTo)
            .map(x -> x);
      case MAX:
        return values.stream().map(SegmentOracle::decimal).max(BigDecimal::compareTo)
            .map(x -> x);
      default:
        throw new IllegalArgumentException("the mean is compared exactly, above");
    }
  }

  /** {@code v op literal} under the typing rules above. */
  static boolean compare(Object v, Op op, Object literal) {
    int c;
    if (v instanceof Number && literal instanceof Number) {
      c = decimal((Number) v).compareTo(decimal((Number) literal));
    } else if (v instanceof String && literal instanceof String) {
      c = compareCodePoints((String) v, (String) literal);
    } else if (v instanceof Boolean && literal instanceof Boolean) {
      if (op != Op.EQ && op != Op.NE) {
        return false;
      }
      c = v.equals(literal) ? 0 : 1;
    } else {
      return false;
    }
    switch (op) {
      case EQ:
        return c == 0;
      case NE:
        return c != 0;
      case LT:
        return c < 0;
      case LE:
        return c <= 0;
      case GT:
        return c > 0;
      default:
        return c >= 0;
    }
  }

  private static boolean isScalar(Object v) {
    return v instanceof String || v instanceof Number || v instanceof Boolean;
  }

  private static BigDecimal decimal(Number n) {
    return n instanceof Long || n instanceof Integer ? BigDecimal.valueOf(n.longValue())
        : n instanceof BigDecimal ? (BigDecimal) n : new BigDecimal(n.doubleValue());
  }

  private static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int x = a.codePointAt(i);
      int y = b.codePointAt(j);
      if (x != y) {
        return Integer.compare(x, y);
      }
      i += Character.charCount(x);
      j += Character.charCount(y);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  private static Optional<Instant> instant(Object v) {
    if (!(v instanceof String)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse((String) v));
    } catch (DateTimeParseException notATime) {
      return Optional.empty();
    }
  }
}
