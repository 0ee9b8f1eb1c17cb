package dev.cdpkit.internal.index;

import dev.cdpkit.internal.Values;
import dev.cdpkit.segment.SegmentExpr;
import dev.cdpkit.segment.SegmentExpr.And;
import dev.cdpkit.segment.SegmentExpr.Between;
import dev.cdpkit.segment.SegmentExpr.Compare;
import dev.cdpkit.segment.SegmentExpr.InList;
import dev.cdpkit.segment.SegmentExpr.IsNull;
import dev.cdpkit.segment.SegmentExpr.Not;
import dev.cdpkit.segment.SegmentExpr.Op;
import dev.cdpkit.segment.SegmentExpr.Or;
import dev.cdpkit.segment.SegmentExpr.TextMatch;
import dev.cdpkit.segment.SegmentExpr.Within;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * The segment language's value semantics, one value at a time: comparisons under the typing rules
 * (numbers exactly whatever their type, strings by code point, booleans only with {@code =} and
 * {@code !=}, a wrong type is false), and whole conditions on an event's properties, as an
 * aggregate's {@code where} needs them.
 */
public final class Predicates {
  private Predicates() {}

  /** {@code v op literal}; false for values of another type than the literal's. */
  public static boolean compare(Object v, Op op, Object literal) {
    int c;
    if (v instanceof Number && literal instanceof Number) {
      c = Numbers.compare((Number) v, (Number) literal);
    } else if (v instanceof String && literal instanceof String) {
      if (op == Op.EQ || op == Op.NE) {
        return v.equals(literal) == (op == Op.EQ);
      }
      c = compareCodePoints((String) v, (String) literal);
    } else if (v instanceof Boolean && literal instanceof Boolean) {
      if (op != Op.EQ && op != Op.NE) {
        return false;
      }
      c = v.equals(literal) ? 0 : 1;
    } else {
      return false;
    }
    return holds(c, op);
  }

  /** Whether a comparison result {@code c} (as from {@code compareTo}) satisfies {@code op}. */
  static boolean holds(int c, Op op) {
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

  /** Compares strings by Unicode code point. */
  public static int compareCodePoints(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        if (Character.isSurrogate(x) || Character.isSurrogate(y)) {
          return Integer.compare(a.codePointAt(i), b.codePointAt(i));
        }
        return Character.compare(x, y);
      }
    }
    return Integer.compare(a.length(), b.length());
  }

  /** The epoch millisecond of an ISO-8601 instant string, or empty for any other value. */
  public static Optional<Long> epochMillis(Object v) {
    if (!(v instanceof String)) {
      return Optional.empty();
    }
    String s = (String) v;
    if (s.length() < 20 || s.charAt(4) != '-' || s.charAt(10) != 'T') {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(s).toEpochMilli());
    } catch (DateTimeParseException | ArithmeticException notATime) {
      return Optional.empty();
    }
  }

  /** Whether a time {@code t} is in the window {@code (now - span, now]}, in milliseconds. */
  public static boolean inWindow(long t, long now, long span) {
    return t > now - span && t <= now;
  }

  /**
   * Whether the value found at a predicate's path satisfies the predicate ({@code Compare},
   * {@code InList}, {@code Between}, {@code IsNull}, {@code TextMatch}, {@code Within}) at
   * {@code now}.
   */
  public static boolean leaf(SegmentExpr e, Optional<Object> found, long now) {
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
      if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
        return false;
      }
      boolean any = false;
      for (Object x : in.values()) {
        any |= compare(v, Op.EQ, x);
      }
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
    if (e instanceof Within) {
      Optional<Long> t = epochMillis(v);
      return t.isPresent() && inWindow(t.get(), now, ((Within) e).span().toDuration().toMillis());
    }
    throw new IllegalArgumentException("not a predicate on a value: " + e);
  }

  /**
   * Whether an event's properties satisfy an aggregate's {@code where} condition (paths name
   * properties). The condition holds only value predicates, and/or/not: definitions are checked
   * for that before they get here.
   */
  public static boolean properties(SegmentExpr e, Map<String, Object> properties, long now) {
    if (e instanceof And) {
      for (SegmentExpr t : ((And) e).terms()) {
        if (!properties(t, properties, now)) {
          return false;
        }
      }
      return true;
    }
    if (e instanceof Or) {
      for (SegmentExpr t : ((Or) e).terms()) {
        if (properties(t, properties, now)) {
          return true;
        }
      }
      return false;
    }
    if (e instanceof Not) {
      return !properties(((Not) e).expr(), properties, now);
    }
    return leaf(e, Values.path(properties, Expressions.path(e).text()), now);
  }
}
