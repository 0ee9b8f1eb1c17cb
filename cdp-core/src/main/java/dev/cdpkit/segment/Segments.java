package dev.cdpkit.segment;

import static java.util.Objects.requireNonNull;

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
import java.util.List;
import java.util.Optional;

/**
 * Builds segment expressions in Java, the same trees the language parses to:
 *
 * <pre>{@code
 * SegmentExpr e = and(
 *     path("ltv").gt(1000),
 *     count("Feature Used").where(path("feature").eq("A")).within(90, 'd').gt(5),
 *     consented("marketing"));
 * // e.equals(SegmentExpr.parse("ltv > 1000 and count(\"Feature Used\" where feature = \"A\""
 * //     + " within 90d) > 5 and consented \"marketing\""))
 * }</pre>
 *
 * <p>Stateless; the builders it returns are immutable and thread-safe.
 */
public final class Segments {
  private Segments() {}

  /** Every term holds. */
  public static SegmentExpr and(SegmentExpr... terms) {
    return new And(List.of(terms));
  }

  /** Some term holds. */
  public static SegmentExpr or(SegmentExpr... terms) {
    return new Or(List.of(terms));
  }

  /** The term does not hold. */
  public static SegmentExpr not(SegmentExpr term) {
    return new Not(term);
  }

  /** Membership of another defined segment. */
  public static SegmentExpr inSegment(String name) {
    return new InSegment(name);
  }

  /** The profile has an identifier of this type. */
  public static SegmentExpr has(String identifierType) {
    return new Has(identifierType);
  }

  /** Consent is granted for this purpose. */
  public static SegmentExpr consented(String purpose) {
    return new Consented(purpose);
  }

  /** Predicates on a trait (or an event property inside {@code where}). */
  public static PathPredicates path(String path) {
    return new PathPredicates(Path.of(path));
  }

  /** The number of the profile's events with this name. */
  public static AggregateBuilder count(String event) {
    return new AggregateBuilder(new Aggregate(Fn.COUNT, event, Optional.empty(), Optional.empty(),
        Optional.empty()));
  }

  /** The sum of a numeric property over the profile's events with this name. */
  public static AggregateBuilder sum(String event, String property) {
    return of(Fn.SUM, event, property);
  }

  /** The least value of a numeric property. */
  public static AggregateBuilder min(String event, String property) {
    return of(Fn.MIN, event, property);
  }

  /** The greatest value of a numeric property. */
  public static AggregateBuilder max(String event, String property) {
    return of(Fn.MAX, event, property);
  }

  /** The mean of a numeric property. */
  public static AggregateBuilder avg(String event, String property) {
    return of(Fn.AVG, event, property);
  }

  private static AggregateBuilder of(Fn fn, String event, String property) {
    return new AggregateBuilder(new Aggregate(fn, event, Optional.of(Path.of(property)),
        Optional.empty(), Optional.empty()));
  }

  /** The predicates of one path. Immutable. */
  public static final class PathPredicates {
    private final Path path;

    private PathPredicates(Path path) {
      this.path = path;
    }

    /** {@code path = value} */
    public SegmentExpr eq(Object value) {
      return new Compare(path, Op.EQ, value);
    }

    /** {@code path != value} */
    public SegmentExpr ne(Object value) {
      return new Compare(path, Op.NE, value);
    }

    /** {@code path < value} */
    public SegmentExpr lt(Object value) {
      return new Compare(path, Op.LT, value);
    }

    /** {@code path <= value} */
    public SegmentExpr le(Object value) {
      return new Compare(path, Op.LE, value);
    }

    /** {@code path > value} */
    public SegmentExpr gt(Object value) {
      return new Compare(path, Op.GT, value);
    }

    /** {@code path >= value} */
    public SegmentExpr ge(Object value) {
      return new Compare(path, Op.GE, value);
    }

    /** {@code path in (values...)} */
    public SegmentExpr in(Object... values) {
      return new InList(path, false, List.of(values));
    }

    /** {@code path not in (values...)} */
    public SegmentExpr notIn(Object... values) {
      return new InList(path, true, List.of(values));
    }

    /** {@code path between low and high}, both included. */
    public SegmentExpr between(Object low, Object high) {
      return new Between(path, low, high);
    }

    /** {@code path is null} */
    public SegmentExpr isNull() {
      return new IsNull(path, false);
    }

    /** {@code path is not null} */
    public SegmentExpr isNotNull() {
      return new IsNull(path, true);
    }

    /** {@code path contains text} */
    public SegmentExpr contains(String text) {
      return new TextMatch(path, TextOp.CONTAINS, text);
    }

    /** {@code path starts with text} */
    public SegmentExpr startsWith(String text) {
      return new TextMatch(path, TextOp.STARTS_WITH, text);
    }

    /** {@code path ends with text} */
    public SegmentExpr endsWith(String text) {
      return new TextMatch(path, TextOp.ENDS_WITH, text);
    }

    /** {@code path within amount unit}, unit one of s, m (minutes), h, d, w. */
    public SegmentExpr within(long amount, char unit) {
      return new Within(path, new Span(amount, unit));
    }
  }

  /** An aggregate being built; each step returns a new builder. Immutable. */
  public static final class AggregateBuilder {
    private final Aggregate aggregate;

    private AggregateBuilder(Aggregate aggregate) {
      this.aggregate = aggregate;
    }

    /** Only events whose properties satisfy {@code condition}. */
    public AggregateBuilder where(SegmentExpr condition) {
      return new AggregateBuilder(new Aggregate(aggregate.fn(), aggregate.event(),
          aggregate.property(), Optional.of(requireNonNull(condition, "condition")),
          aggregate.within()));
    }

    /** Only events in the last {@code amount unit}, unit one of s, m (minutes), h, d, w. */
    public AggregateBuilder within(long amount, char unit) {
      return new AggregateBuilder(new Aggregate(aggregate.fn(), aggregate.event(),
          aggregate.property(), aggregate.where(), Optional.of(new Span(amount, unit))));
    }

    /** {@code aggregate = value} */
    public SegmentExpr eq(Number value) {
      return new AggregateCompare(aggregate, Op.EQ, value);
    }

    /** {@code aggregate != value} */
    public SegmentExpr ne(Number value) {
      return new AggregateCompare(aggregate, Op.NE, value);
    }

    /** {@code aggregate < value} */
    public SegmentExpr lt(Number value) {
      return new AggregateCompare(aggregate, Op.LT, value);
    }

    /** {@code aggregate <= value} */
    public SegmentExpr le(Number value) {
      return new AggregateCompare(aggregate, Op.LE, value);
    }

    /** {@code aggregate > value} */
    public SegmentExpr gt(Number value) {
      return new AggregateCompare(aggregate, Op.GT, value);
    }

    /** {@code aggregate >= value} */
    public SegmentExpr ge(Number value) {
      return new AggregateCompare(aggregate, Op.GE, value);
    }
  }
}
