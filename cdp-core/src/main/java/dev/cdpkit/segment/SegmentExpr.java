package dev.cdpkit.segment;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A segment expression: an immutable tree of records, made by {@link #parse} from the segment
 * language (the grammar is in the README), built with {@link Segments}, or built directly, and
 * turned back into text by {@link #render()}. {@code parse(e.render())} equals {@code e}.
 *
 * <p>Every type here is immutable and thread-safe.
 */
public sealed interface SegmentExpr {

  /** Parses the segment language. */
  static SegmentExpr parse(String text) {
    return new SegmentParser(requireNonNull(text, "text")).parse();
  }

  /** The expression as segment-language text that parses back to an equal expression. */
  default String render() {
    return SegmentRenderer.render(this);
  }

  /** Comparison operators. */
  enum Op {
    /** {@code =} */ EQ("="),
    /** {@code !=} */ NE("!="),
    /** {@code <} */ LT("<"),
    /** {@code <=} */ LE("<="),
    /** {@code >} */ GT(">"),
    /** {@code >=} */ GE(">=");

    private final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }

    /** The operator as written. */
    public String symbol() {
      return symbol;
    }
  }

  /** Aggregate functions over a profile's events. */
  enum Fn {
    /** How many events. */ COUNT,
    /** The sum of a numeric property. */ SUM,
    /** The least value of a numeric property. */ MIN,
    /** The greatest value of a numeric property. */ MAX,
    /** The mean of a numeric property. */ AVG;

    /** The function as written. */
    public String keyword() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** String tests. */
  enum TextOp {
    /** {@code contains} */ CONTAINS("contains"),
    /** {@code starts with} */ STARTS_WITH("starts with"),
    /** {@code ends with} */ ENDS_WITH("ends with");

    private final String words;

    TextOp(String words) {
      this.words = words;
    }

    /** The words as written. */
    public String words() {
      return words;
    }
  }

  /**
   * A trait (or, inside an aggregate's {@code where}, an event property) by dotted path; a path
   * starting with {@code account.} names a trait of the profile's accounts.
   *
   * @param text the path, such as {@code ltv} or {@code address.city}
   */
  record Path(String text) {
    /** Checks the path is not empty. */
    public Path {
      requireNonNull(text, "text");
      if (text.isEmpty() || text.indexOf('`') >= 0 || text.indexOf('\n') >= 0) {
        throw new IllegalArgumentException("path must be non-empty, without backticks or line"
            + " breaks: '" + text + "'");
      }
    }

    /** The path with this text. */
    public static Path of(String text) {
      return new Path(text);
    }
  }

  /**
   * A duration as written: an amount and a unit ({@code s}, {@code m} for minutes, {@code h},
   * {@code d}, {@code w}).
   *
   * @param amount how many units, not negative
   * @param unit the unit letter
   */
  record Span(long amount, char unit) {
    /** Checks amount and unit. */
    public Span {
      if (amount < 0) {
        throw new IllegalArgumentException("duration is negative: " + amount);
      }
      if ("smhdw".indexOf(unit) < 0) {
        throw new IllegalArgumentException("duration unit must be s, m, h, d or w: " + unit);
      }
    }

    /** The span as a {@link Duration}. */
    public Duration toDuration() {
      switch (unit) {
        case 's':
          return Duration.ofSeconds(amount);
        case 'm':
          return Duration.ofMinutes(amount);
        case 'h':
          return Duration.ofHours(amount);
        case 'd':
          return Duration.ofDays(amount);
        default:
          return Duration.ofDays(7 * amount);
      }
    }
  }

  /**
   * Every term holds. Nested {@code And}s are flattened into one.
   *
   * @param terms two or more terms
   */
  record And(List<SegmentExpr> terms) implements SegmentExpr {
    /** Flattens and checks the terms. */
    public And {
      terms = flatten(terms, And.class);
    }
  }

  /**
   * Some term holds. Nested {@code Or}s are flattened into one.
   *
   * @param terms two or more terms
   */
  record Or(List<SegmentExpr> terms) implements SegmentExpr {
    /** Flattens and checks the terms. */
    public Or {
      terms = flatten(terms, Or.class);
    }
  }

  /**
   * Every live profile for which {@code expr} does not hold.
   *
   * @param expr the negated expression
   */
  record Not(SegmentExpr expr) implements SegmentExpr {
    /** Checks the expression. */
    public Not {
      requireNonNull(expr, "expr");
    }
  }

  /**
   * {@code path op literal}.
   *
   * @param path the trait
   * @param op the comparison
   * @param value a Long, Double, String or Boolean
   */
  record Compare(Path path, Op op, Object value) implements SegmentExpr {
    /** Checks the parts. */
    public Compare {
      requireNonNull(path, "path");
      requireNonNull(op, "op");
      value = literal(value);
    }
  }

  /**
   * {@code path [not] in (literal, ...)}.
   *
   * @param path the trait
   * @param negated whether it is {@code not in}
   * @param values one or more literals
   */
  record InList(Path path, boolean negated, List<Object> values) implements SegmentExpr {
    /** Checks the parts. */
    public InList {
      requireNonNull(path, "path");
      List<Object> checked = new ArrayList<>();
      for (Object v : values) {
        checked.add(literal(v));
      }
      if (checked.isEmpty()) {
        throw new IllegalArgumentException("in (...) needs at least one value");
      }
      values = List.copyOf(checked);
    }
  }

  /**
   * {@code path between low and high}, both ends included.
   *
   * @param path the trait
   * @param low the low end
   * @param high the high end
   */
  record Between(Path path, Object low, Object high) implements SegmentExpr {
    /** Checks the parts. */
    public Between {
      requireNonNull(path, "path");
      low = literal(low);
      high = literal(high);
    }
  }

  /**
   * {@code path is [not] null}.
   *
   * @param path the trait
   * @param negated whether it is {@code is not null}
   */
  record IsNull(Path path, boolean negated) implements SegmentExpr {
    /** Checks the path. */
    public IsNull {
      requireNonNull(path, "path");
    }
  }

  /**
   * {@code path contains|starts with|ends with "text"}.
   *
   * @param path the trait
   * @param op which test
   * @param text the text
   */
  record TextMatch(Path path, TextOp op, String text) implements SegmentExpr {
    /** Checks the parts. */
    public TextMatch {
      requireNonNull(path, "path");
      requireNonNull(op, "op");
      requireNonNull(text, "text");
    }
  }

  /**
   * {@code path within duration}: a timestamp trait in {@code (now - duration, now]}.
   *
   * @param path the trait
   * @param span the window
   */
  record Within(Path path, Span span) implements SegmentExpr {
    /** Checks the parts. */
    public Within {
      requireNonNull(path, "path");
      requireNonNull(span, "span");
    }
  }

  /**
   * An aggregate over the profile's events of one name:
   * {@code count("E" [where expr] [within d])} or {@code sum|min|max|avg("E", path [where expr]
   * [within d])}.
   *
   * @param fn the function
   * @param event the event name
   * @param property the numeric property (not for count)
   * @param where a condition on the event's properties
   * @param within the window
   */
  record Aggregate(Fn fn, String event, Optional<Path> property, Optional<SegmentExpr> where,
      Optional<Span> within) {
    /** Checks the parts: count takes no property, the others need one. */
    public Aggregate {
      requireNonNull(fn, "fn");
      requireNonNull(event, "event");
      requireNonNull(property, "property");
      requireNonNull(where, "where");
      requireNonNull(within, "within");
      if ((fn == Fn.COUNT) == property.isPresent()) {
        throw new IllegalArgumentException(fn == Fn.COUNT ? "count takes no property"
            : fn.keyword() + " needs a property");
      }
    }
  }

  /**
   * {@code aggregate op number}.
   *
   * @param aggregate the aggregate
   * @param op the comparison
   * @param value a Long or Double
   */
  record AggregateCompare(Aggregate aggregate, Op op, Number value) implements SegmentExpr {
    /** Checks the parts. */
    public AggregateCompare {
      requireNonNull(aggregate, "aggregate");
      requireNonNull(op, "op");
      Object v = literal(value);
      if (!(v instanceof Number)) {
        throw new IllegalArgumentException("an aggregate compares with a number: " + value);
      }
      value = (Number) v;
    }
  }

  /**
   * {@code in segment "name"}: membership of another defined segment.
   *
   * @param name the segment's name
   */
  record InSegment(String name) implements SegmentExpr {
    /** Checks the name. */
    public InSegment {
      requireNonNull(name, "name");
    }
  }

  /**
   * {@code has type}: the profile has an identifier of that type.
   *
   * @param type the identifier type, such as {@code email}
   */
  record Has(String type) implements SegmentExpr {
    /** Checks the type and lower-cases it, as identifier types are. */
    public Has {
      requireNonNull(type, "type");
      type = type.strip().toLowerCase(Locale.ROOT);
      if (type.isEmpty()) {
        throw new IllegalArgumentException("identifier type is empty");
      }
    }
  }

  /**
   * {@code consented "purpose"}: consent granted for that purpose.
   *
   * @param purpose the purpose, such as {@code marketing}
   */
  record Consented(String purpose) implements SegmentExpr {
    /** Checks the purpose. */
    public Consented {
      requireNonNull(purpose, "purpose");
    }
  }

  /** A literal in canonical form: Long, Double (finite), String or Boolean. */
  private static Object literal(Object v) {
    requireNonNull(v, "literal");
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof Float) {
      v = ((Float) v).doubleValue();
    }
    if (v instanceof Double && !Double.isFinite((Double) v)) {
      throw new IllegalArgumentException("a number literal must be finite: " + v);
    }
    if (v instanceof Long || v instanceof Double || v instanceof String || v instanceof Boolean) {
      return v;
    }
    throw new IllegalArgumentException("a literal is a number, string or boolean, not "
        + v.getClass().getName());
  }

  private static List<SegmentExpr> flatten(List<SegmentExpr> terms, Class<?> kind) {
    List<SegmentExpr> out = new ArrayList<>();
    for (SegmentExpr t : terms) {
      requireNonNull(t, "term");
      if (kind.isInstance(t)) {
        out.addAll(t instanceof And ? ((And) t).terms() : ((Or) t).terms());
      } else {
        out.add(t);
      }
    }
    if (out.size() < 2) {
      throw new IllegalArgumentException(kind.getSimpleName().toLowerCase(Locale.ROOT)
          + " needs at least two terms, got " + out.size());
    }
    return List.copyOf(out);
  }
}
