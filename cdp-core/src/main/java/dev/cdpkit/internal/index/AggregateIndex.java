package dev.cdpkit.internal.index;

import dev.cdpkit.Event;
import dev.cdpkit.EventType;
import dev.cdpkit.internal.Values;
import dev.cdpkit.segment.SegmentExpr.Aggregate;
import dev.cdpkit.segment.SegmentExpr.Fn;
import dev.cdpkit.segment.SegmentExpr.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.roaringbitmap.RoaringBitmap;

/**
 * One aggregate ({@code count("Feature Used" where feature = "A" within 90d)}, or a sum, min, max
 * or mean of a property) kept current for every row as events arrive: each row keeps the times
 * (and, but for counts, the property values) of its events that the aggregate takes, and its
 * current result sits in an indexed {@link SortedColumn}, so that {@code aggregate op number} is a
 * range lookup. A count of zero is kept as no value.
 *
 * <p>With a window, the result is exact at {@code asOf}; each row's next change (its oldest
 * event leaving the window, or a future event entering it) is queued in one-minute buckets, and
 * {@link #advanceTo} recomputes, exactly, only the rows whose bucket has come. Buckets make this
 * cheaper, never less exact: a row is recomputed at the instant asked.
 *
 * <p>Not thread-safe: the engine guards it.
 */
final class AggregateIndex {
  private static final long BUCKET_MILLIS = 60_000;
  private static final long[] NO_TIMES = {};

  private final Aggregate spec;
  private final long span;
  private long[][] times = new long[16][];
  private Number[][] values;
  private int[] sizes = new int[16];
  private final SortedColumn results = SortedColumn.numbers();
  private final RoaringBitmap withEvents = new RoaringBitmap();
  /** Rows whose result changed since {@link #drainChanged} last ran. */
  private RoaringBitmap changed = new RoaringBitmap();
  private long asOf;
  private final TreeMap<Long, RoaringBitmap> due = new TreeMap<>();
  /** Per row, the bucket of {@link #due} that holds it, or {@link #NOT_DUE}. */
  private long[] dueBucket = new long[16];
  private static final long NOT_DUE = Long.MIN_VALUE;

  AggregateIndex(Aggregate spec, long now) {
    this.spec = spec;
    this.span = spec.within().map(s -> s.toDuration().toMillis()).orElse(-1L);
    this.values = spec.fn() == Fn.COUNT ? null : new Number[16][];
    this.asOf = now;
  }

  Aggregate spec() {
    return spec;
  }

  /** Whether the aggregate takes this event: its name, and its {@code where}. */
  boolean accepts(Event e) {
    EventType t = e.type();
    if (t != EventType.TRACK && t != EventType.PAGE && t != EventType.SCREEN) {
      return false;
    }
    if (!e.name().map(spec.event()::equals).orElse(false)) {
      return false;
    }
    return spec.where().isEmpty() || Predicates.properties(spec.where().get(), e.properties(), asOf);
  }

  /** Adds an event of the row (if the aggregate takes it) and updates the row's result. */
  void add(int row, Event e) {
    if (accepts(e)) {
      insert(row, e);
      recompute(row);
    }
  }

  /** Takes an event of the row if the aggregate does, without recomputing (see {@link #recomputeAll}). */
  void load(int row, Event e) {
    if (accepts(e)) {
      insert(row, e);
    }
  }

  /** Recomputes every row with events, after {@link #load}. */
  void recomputeAll() {
    withEvents.forEach((int row) -> recompute(row));
  }

  /** Replaces the row's events with {@code events} and recomputes its result. */
  void reset(int row, List<Event> events) {
    clearEntries(row);
    for (Event e : events) {
      if (accepts(e)) {
        insert(row, e);
      }
    }
    recompute(row);
  }

  /** Forgets the row. */
  void remove(int row) {
    clearEntries(row);
    if (row < dueBucket.length && dueBucket[row] != NOT_DUE) {
      RoaringBitmap bucket = due.get(dueBucket[row]);
      if (bucket != null && bucket.checkedRemove(row) && bucket.isEmpty()) {
        due.remove(dueBucket[row]);
      }
      dueBucket[row] = NOT_DUE;
    }
    if (results.get(row) != null) {
      results.set(row, null);
      changed.add(row);
    }
  }

  private void clearEntries(int row) {
    if (row < sizes.length) {
      sizes[row] = 0;
      times[row] = null;
      if (values != null) {
        values[row] = null;
      }
    }
    withEvents.remove(row);
  }

  private void ensure(int row) {
    if (row >= sizes.length) {
      int n = Math.max(row + 1, sizes.length * 2);
      sizes = Arrays.copyOf(sizes, n);
      int from = dueBucket.length;
      dueBucket = Arrays.copyOf(dueBucket, n);
      Arrays.fill(dueBucket, from, n, NOT_DUE);
      times = Arrays.copyOf(times, n);
      if (values != null) {
        values = Arrays.copyOf(values, n);
      }
    }
  }

  /** A row's accepted events, for {@link #forEachRow}. */
  @FunctionalInterface
  interface Entries {
    /**
     * The first {@code n} of {@code times} (ascending) and of {@code values} (null for count)
     * are the row's.
     */
    void accept(int row, int n, long[] times, Number[] values);
  }

  /** Calls {@code action} for every row with events, in row order. */
  void forEachRow(Entries action) {
    withEvents.forEach((int row) -> action.accept(row, sizes[row], times[row],
        values == null ? null : values[row]));
  }

  /**
   * Gives an empty row the events that {@link #forEachRow} showed (times ascending; values null
   * for count), without recomputing (see {@link #recomputeAll}).
   */
  void restore(int row, long[] ts, Number[] vs) {
    if (ts.length == 0) {
      return;
    }
    ensure(row);
    times[row] = ts;
    if (values != null) {
      values[row] = vs;
    }
    sizes[row] = ts.length;
    withEvents.add(row);
  }

  private void insert(int row, Event e) {
    ensure(row);
    long t = e.timestamp().orElseThrow().toEpochMilli();
    int size = sizes[row];
    long[] ts = times[row] == null ? NO_TIMES : times[row];
    if (size == ts.length) {
      ts = Arrays.copyOf(ts, Math.max(2, size * 2));
      times[row] = ts;
      if (values != null) {
        values[row] = values[row] == null ? new Number[ts.length]
            : Arrays.copyOf(values[row], ts.length);
      }
    }
    int at = size;
    while (at > 0 && ts[at - 1] > t) {
      at--;
    }
    System.arraycopy(ts, at, ts, at + 1, size - at);
    ts[at] = t;
    if (values != null) {
      Number[] vs = values[row];
      System.arraycopy(vs, at, vs, at + 1, size - at);
      Optional<Object> p = Values.path(e.properties(), spec.property().orElseThrow().text());
      vs[at] = p.isPresent() && p.get() instanceof Number ? (Number) p.get() : null;
    }
    sizes[row] = size + 1;
    if (size == 0) {
      withEvents.add(row);
    }
  }

  /** The row's result at {@code asOf}, stored in the column, and its next change queued. */
  private void recompute(int row) {
    int n = row < sizes.length ? sizes[row] : 0;
    long[] ts = n == 0 ? NO_TIMES : times[row];
    int lo = 0;
    int hi = n;
    if (span >= 0) {
      lo = firstAfter(ts, n, asOf - span);
      hi = firstAfter(ts, n, asOf);
      long next = Long.MAX_VALUE;
      if (lo < hi) {
        next = saturatedAdd(ts[lo], span);
      }
      if (hi < n) {
        next = Math.min(next, ts[hi]);
      }
      if (next != Long.MAX_VALUE) {
        long bucket = Math.floorDiv(next, BUCKET_MILLIS);
        if (dueBucket[row] != bucket) {
          // a bucket left behind keeps the row: it is then recomputed once more, harmlessly
          dueBucket[row] = bucket;
          due.computeIfAbsent(bucket, k -> new RoaringBitmap()).add(row);
        }
      }
    }
    Number result = result(row, lo, hi);
    if (!Objects.equals(result, results.get(row))) {
      results.set(row, result);
      changed.add(row);
    }
  }

  /** The rows whose result changed since the last call (removed rows too). */
  RoaringBitmap drainChanged() {
    RoaringBitmap out = changed;
    changed = new RoaringBitmap();
    return out;
  }

  /**
   * The next instant after {@code now} at which a row's result may change as time passes
   * (its oldest event in the window leaves it, or a future event enters it); null when none
   * will. Exact when the results are at {@code now}: each row's next change is queued by
   * minute, and only the rows of the first minutes are looked at (a row may linger in an
   * earlier minute than its own).
   */
  Long nextChange(long now) {
    if (span < 0) {
      return null;
    }
    long best = Long.MAX_VALUE;
    for (Map.Entry<Long, RoaringBitmap> bucket : due.entrySet()) {
      if (best != Long.MAX_VALUE && bucket.getKey() > Math.floorDiv(best, BUCKET_MILLIS)) {
        break;
      }
      for (org.roaringbitmap.IntIterator it = bucket.getValue().getIntIterator(); it.hasNext(); ) {
        int row = it.next();
        int n = row < sizes.length ? sizes[row] : 0;
        long[] ts = n == 0 ? NO_TIMES : times[row];
        int lo = firstAfter(ts, n, now - span);
        int hi = firstAfter(ts, n, now);
        if (lo < hi) {
          best = Math.min(best, saturatedAdd(ts[lo], span));
        }
        if (hi < n) {
          best = Math.min(best, ts[hi]);
        }
      }
    }
    return best == Long.MAX_VALUE ? null : best;
  }

  private Number result(int row, int lo, int hi) {
    if (hi <= lo) {
      return null;
    }
    if (spec.fn() == Fn.COUNT) {
      return Values.boxLong(hi - lo);
    }
    Number[] vs = values[row];
    Number acc = null;
    long k = 0;
    for (int i = lo; i < hi; i++) {
      Number v = vs[i];
      if (v == null) {
        continue;
      }
      k++;
      if (acc == null) {
        acc = spec.fn() == Fn.SUM || spec.fn() == Fn.AVG ? Numbers.add(0L, v) : v;
      } else if (spec.fn() == Fn.SUM || spec.fn() == Fn.AVG) {
        acc = Numbers.add(acc, v);
      } else if (spec.fn() == Fn.MIN ? Numbers.compare(v, acc) < 0 : Numbers.compare(v, acc) > 0) {
        acc = v;
      }
    }
    if (acc == null) {
      return null;
    }
    return spec.fn() == Fn.AVG ? new Numbers.Mean(acc, k) : acc;
  }

  private static int firstAfter(long[] ts, int n, long t) {
    int lo = 0;
    int hi = n;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ts[mid] <= t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }

  /** Whether results must be recomputed before they hold at {@code now}. */
  boolean needsAdvance(long now) {
    return span >= 0 && (now < asOf
        || (!due.isEmpty() && due.firstKey() <= Math.floorDiv(now, BUCKET_MILLIS)));
  }

  /** Brings every row's result to {@code now}. */
  void advanceTo(long now) {
    if (span < 0 || now == asOf) {
      return;
    }
    RoaringBitmap rows;
    if (now < asOf) {
      rows = withEvents.clone();
      due.clear();
      Arrays.fill(dueBucket, NOT_DUE);
    } else {
      List<RoaringBitmap> buckets = new ArrayList<>();
      Map<Long, RoaringBitmap> head = due.headMap(Math.floorDiv(now, BUCKET_MILLIS), true);
      buckets.addAll(head.values());
      head.clear();
      rows = RoaringBitmap.or(buckets.iterator());
      rows.forEach((int row) -> dueBucket[row] = NOT_DUE);
    }
    asOf = now;
    rows.forEach((int row) -> recompute(row));
    results.maintain();
  }

  /**
   * The rows (of {@code live}, within {@code context} when not null) whose result satisfies
   * {@code op value}; a row without events counts 0.
   */
  RoaringBitmap select(Op op, Number value, RoaringBitmap live, RoaringBitmap context) {
    RoaringBitmap out = TraitColumn.select(results, op, value, context);
    if (spec.fn() == Fn.COUNT && Predicates.compare(0L, op, value)) {
      RoaringBitmap zero = RoaringBitmap.andNot(live, results.present());
      if (context != null) {
        zero.and(context);
      }
      out.or(zero);
    }
    return out;
  }

  /** How many rows {@link #select} keeps, without building them where it can. */
  long count(Op op, Number value, RoaringBitmap live, RoaringBitmap context) {
    if (spec.fn() == Fn.COUNT && Predicates.compare(0L, op, value)) {
      return select(op, value, live, context).getLongCardinality();
    }
    return TraitColumn.count(results, op, value, context);
  }

  /** An estimate of {@link #select}'s size. */
  long estimate(Op op, Number value, RoaringBitmap live) {
    if (spec.fn() == Fn.COUNT && Predicates.compare(0L, op, value)) {
      return live.getLongCardinality();
    }
    return TraitColumn.estimate(results, op, value);
  }

  void maintain() {
    results.maintain();
  }

  void rebuild() {
    results.rebuild();
  }

  long indexBytes() {
    return results.indexBytes();
  }
}
