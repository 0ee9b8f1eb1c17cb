package dev.cdpkit.internal.index;

import dev.cdpkit.segment.SegmentExpr;
import dev.cdpkit.segment.SegmentExpr.Between;
import dev.cdpkit.segment.SegmentExpr.Compare;
import dev.cdpkit.segment.SegmentExpr.InList;
import dev.cdpkit.segment.SegmentExpr.IsNull;
import dev.cdpkit.segment.SegmentExpr.Op;
import dev.cdpkit.segment.SegmentExpr.TextMatch;
import dev.cdpkit.segment.SegmentExpr.TextOp;
import dev.cdpkit.segment.SegmentExpr.Within;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.roaringbitmap.FastAggregation;
import org.roaringbitmap.RoaringBitmap;

/**
 * One trait path of a table: its values by row in typed sub-columns (numbers, strings, booleans;
 * the strings that are ISO-8601 instants also as epoch milliseconds), each indexed, and a presence
 * bitmap for values of any type (lists and maps included). Turns a predicate on the path into a
 * bitmap of rows.
 *
 * <p>Not thread-safe: the engine guards it.
 */
final class TraitColumn {
  private final RoaringBitmap present = new RoaringBitmap();
  private final SortedColumn numbers = SortedColumn.numbers();
  private final SortedColumn strings = SortedColumn.strings();
  private final SortedColumn times = SortedColumn.numbers();
  private final RoaringBitmap trues = new RoaringBitmap();
  private final RoaringBitmap falses = new RoaringBitmap();
  /** An indexed value's stand-in for a value of another type (a list or a map): present only. */
  static final Object OTHER = Map.of();
  private final String path;

  TraitColumn(String path) {
    this.path = path;
  }

  /** The dotted path of the values. */
  String path() {
    return path;
  }

  /** Sets the value of a row (null clears it); whether that changed what the column holds. */
  boolean set(int row, Object value) {
    if (value != null && present.contains(row) && stored(row, value)) {
      return false;
    }
    boolean had = clear(row);
    if (value == null) {
      return had;
    }
    present.add(row);
    if (value instanceof Number) {
      numbers.set(row, value);
    } else if (value instanceof String) {
      strings.set(row, value);
      Predicates.epochMillis(value).ifPresent(t -> times.set(row, t));
    } else if (value instanceof Boolean) {
      ((Boolean) value ? trues : falses).add(row);
    }
    return true;
  }

  /**
   * The value of a row as the column keeps it: a number, a string, a boolean, {@link #OTHER} for
   * a value of another type, or null.
   */
  Object get(int row) {
    if (!present.contains(row)) {
      return null;
    }
    Object v = numbers.get(row);
    if (v == null) {
      v = strings.get(row);
    }
    if (v == null) {
      v = trues.contains(row) ? Boolean.TRUE : falses.contains(row) ? Boolean.FALSE : OTHER;
    }
    return v;
  }

  private boolean stored(int row, Object value) {
    if (value instanceof Number) {
      return value.equals(numbers.get(row));
    }
    if (value instanceof String) {
      return value.equals(strings.get(row));
    }
    if (value instanceof Boolean) {
      return ((Boolean) value ? trues : falses).contains(row);
    }
    return false;
  }

  /** Clears the row's value; whether it had one. */
  boolean clear(int row) {
    if (!present.checkedRemove(row)) {
      return false;
    }
    numbers.set(row, null);
    strings.set(row, null);
    times.set(row, null);
    trues.remove(row);
    falses.remove(row);
    return true;
  }

  void maintain() {
    numbers.maintain();
    strings.maintain();
    times.maintain();
  }

  void rebuild() {
    present.runOptimize();
    trues.runOptimize();
    falses.runOptimize();
    numbers.rebuild();
    strings.rebuild();
    times.rebuild();
  }

  /** The rows whose value is a timestamp in {@code (after, upTo]} (epoch milliseconds). */
  RoaringBitmap timesIn(long after, long upTo) {
    if (upTo <= after) {
      return new RoaringBitmap();
    }
    return times.select(times.upperBound(after), times.upperBound(upTo), v -> {
      long t = ((Number) v).longValue();
      return t > after && t <= upTo;
    }, null);
  }

  /** The least timestamp above {@code t} that a row holds (or held), or null. */
  Long nextTimeAbove(long t) {
    Object v = times.nextAbove(t);
    return v == null ? null : ((Number) v).longValue();
  }

  /** The rows with a value, of any type. Live view: do not modify. */
  RoaringBitmap present() {
    return present;
  }

  /**
   * The rows (of {@code live}, within {@code context} when not null) that satisfy a value
   * predicate on this path at {@code now}.
   */
  RoaringBitmap select(SegmentExpr e, RoaringBitmap live, RoaringBitmap context, long now) {
    if (e instanceof IsNull) {
      RoaringBitmap in = ((IsNull) e).negated() ? present.clone()
          : RoaringBitmap.andNot(live, present);
      return restrict(in, context);
    }
    if (e instanceof Compare) {
      Compare c = (Compare) e;
      return compare(c.op(), c.value(), context);
    }
    if (e instanceof InList) {
      InList in = (InList) e;
      List<RoaringBitmap> parts = new ArrayList<>();
      for (Object v : in.values()) {
        parts.add(compare(Op.EQ, v, context));
      }
      RoaringBitmap any = FastAggregation.or(parts.iterator());
      if (!in.negated()) {
        return any;
      }
      RoaringBitmap scalars = FastAggregation.or(numbers.present(), strings.present(), trues,
          falses);
      return restrict(RoaringBitmap.andNot(scalars, any), context);
    }
    if (e instanceof Between) {
      Between b = (Between) e;
      SortedColumn col = columnFor(b.low());
      if (col == null || columnFor(b.high()) != col) {
        return new RoaringBitmap();
      }
      return col.select(col.lowerBound(b.low()), col.upperBound(b.high()),
          v -> Predicates.compare(v, Op.GE, b.low()) && Predicates.compare(v, Op.LE, b.high()),
          context);
    }
    if (e instanceof TextMatch) {
      return text((TextMatch) e, context);
    }
    if (e instanceof Within) {
      long span = ((Within) e).span().toDuration().toMillis();
      return times.select(times.upperBound(now - span), times.upperBound(now),
          v -> Predicates.inWindow((Long) v, now, span), context);
    }
    throw new IllegalArgumentException("not a predicate on a value: " + e);
  }

  /** An estimate of how many rows {@link #select} keeps, for ordering an {@code and}. */
  long estimate(SegmentExpr e, long now) {
    if (e instanceof Compare) {
      Compare c = (Compare) e;
      SortedColumn col = columnFor(c.value());
      if (col == null) {
        return c.value() instanceof Boolean ? trues.getLongCardinality() : 0;
      }
      return estimate(col, c.op(), c.value());
    }
    if (e instanceof Within) {
      long span = ((Within) e).span().toDuration().toMillis();
      return times.estimate(times.upperBound(now - span), times.upperBound(now));
    }
    return present.getLongCardinality();
  }

  private static RoaringBitmap restrict(RoaringBitmap b, RoaringBitmap context) {
    if (context != null) {
      b.and(context);
    }
    return b;
  }

  private SortedColumn columnFor(Object literal) {
    return literal instanceof Number ? numbers : literal instanceof String ? strings : null;
  }

  /** The rank range {@code [lo, hi)} of {@code op literal}; null for {@code !=}. */
  private static int[] ranks(SortedColumn col, Op op, Object literal) {
    switch (op) {
      case EQ:
        return new int[] {col.lowerBound(literal), col.upperBound(literal)};
      case LT:
        return new int[] {0, col.lowerBound(literal)};
      case LE:
        return new int[] {0, col.upperBound(literal)};
      case GT:
        return new int[] {col.upperBound(literal), col.rankCount()};
      case GE:
        return new int[] {col.lowerBound(literal), col.rankCount()};
      default:
        return null;
    }
  }

  private RoaringBitmap compare(Op op, Object literal, RoaringBitmap context) {
    if (literal instanceof Boolean) {
      boolean b = (Boolean) literal;
      RoaringBitmap out = op == Op.EQ ? (b ? trues : falses).clone()
          : op == Op.NE ? (b ? falses : trues).clone() : new RoaringBitmap();
      return restrict(out, context);
    }
    SortedColumn col = columnFor(literal);
    return select(col, op, literal, context);
  }

  /** {@code value op literal} over one sorted column. */
  static RoaringBitmap select(SortedColumn col, Op op, Object literal, RoaringBitmap context) {
    if (op == Op.NE) {
      RoaringBitmap equal = col.select(col.lowerBound(literal), col.upperBound(literal),
          v -> Predicates.compare(v, Op.EQ, literal), context);
      RoaringBitmap out = RoaringBitmap.andNot(col.present(), equal);
      return restrict(out, context);
    }
    int[] r = ranks(col, op, literal);
    return col.select(r[0], r[1], v -> Predicates.compare(v, op, literal), context);
  }

  /** An estimate of how many rows {@code value op literal} keeps in one sorted column. */
  static long estimate(SortedColumn col, Op op, Object literal) {
    int[] r = ranks(col, op, literal);
    return r == null ? col.present().getLongCardinality() : col.estimate(r[0], r[1]);
  }

  /** The number of rows {@link #select(SortedColumn, Op, Object, RoaringBitmap)} keeps. */
  static long count(SortedColumn col, Op op, Object literal, RoaringBitmap context) {
    if (op == Op.NE) {
      return select(col, op, literal, context).getLongCardinality();
    }
    int[] r = ranks(col, op, literal);
    return col.count(r[0], r[1], v -> Predicates.compare(v, op, literal), context);
  }

  private RoaringBitmap text(TextMatch t, RoaringBitmap context) {
    String s = t.text();
    if (t.op() == TextOp.STARTS_WITH) {
      int lo = strings.lowerBound(s);
      int hi = strings.endOfRun(lo, v -> ((String) v).startsWith(s));
      return strings.select(lo, hi, v -> ((String) v).startsWith(s), context);
    }
    java.util.function.Predicate<Object> test = t.op() == TextOp.CONTAINS
        ? v -> ((String) v).contains(s) : v -> ((String) v).endsWith(s);
    // Matching values are scattered through the order: collect them as runs of ranks, and fall
    // back to checking rows one by one when there are many runs.
    List<int[]> runs = new ArrayList<>();
    int n = strings.rankCount();
    for (int r = 0; r < n && runs.size() <= 16; r++) {
      if (strings.rankPasses(r, test)) {
        if (!runs.isEmpty() && runs.get(runs.size() - 1)[1] == r) {
          runs.get(runs.size() - 1)[1] = r + 1;
        } else {
          runs.add(new int[] {r, r + 1});
        }
      }
    }
    if (runs.size() > 16) {
      return strings.scan(test, context);
    }
    if (runs.isEmpty()) {
      return strings.select(0, 0, test, context);
    }
    List<RoaringBitmap> parts = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      int[] run = runs.get(i);
      // the delta rows are checked once, with the first run
      parts.add(strings.select(run[0], run[1], i == 0 ? test : v -> false, context));
    }
    return FastAggregation.or(parts.iterator());
  }

  long indexBytes() {
    return present.getLongSizeInBytes() + numbers.indexBytes() + strings.indexBytes()
        + times.indexBytes() + trues.getLongSizeInBytes() + falses.getLongSizeInBytes();
  }
}
