package dev.cdpkit.internal.index;

import java.util.Arrays;
import java.util.Comparator;
import java.util.function.Predicate;
import org.roaringbitmap.FastAggregation;
import org.roaringbitmap.RangeBitmap;
import org.roaringbitmap.RoaringBitmap;
import org.roaringbitmap.RoaringBitmapWriter;

/**
 * Values of one type (numbers, or strings) by row, with an index that selects the rows whose value
 * lies in a range of the type's order by bitmap operations.
 *
 * <p>The index is a {@link RangeBitmap} over ranks (or, for at most 256 distinct values, one bitmap
 * per rank), built from the values of the moment (the base), plus a delta: the rows changed since, whose current values are checked one by one. The base is
 * rebuilt when the delta grows past a share of the rows. Ranks are the positions of the distinct
 * values in order; columns of small whole numbers (counts) use the value itself, so no sort is
 * needed. Rows without a value get the rank one past the last, so no range includes them.
 *
 * <p>Not thread-safe: the engine guards it.
 */
final class SortedColumn {
  private static final int MIN_DELTA = 4096;
  /** Up to this many distinct values, the base is one bitmap per value instead of a RangeBitmap. */
  private static final int MAX_RANK_BITMAPS = 256;
  /** A context this many times smaller than the column is checked row by row. */
  private static final int SCAN_RATIO = 64;
  private static final long MAX_DIRECT_SPAN = 1 << 20;

  private final Comparator<Object> order;
  private Object[] values = new Object[16];
  private final RoaringBitmap present = new RoaringBitmap();
  private final RoaringBitmap delta = new RoaringBitmap();
  private int deltaSize;

  private RangeBitmap base;
  /** For few distinct values, the base rows of each rank (instead of {@code base}). */
  private RoaringBitmap[] byRank;
  private boolean built;
  private long baseBytes;
  private int rows;
  /**
   * Per row, its base rank shifted right by {@link #codeShift} (so that it fits): a scan of a few
   * rows reads these bytes instead of the values. Rows whose code is a range's boundary code are
   * checked against their value. {@code byte[]} up to 256 codes, else {@code char[]}.
   */
  private byte[] byteCodes;
  private char[] charCodes;
  private int codeShift;
  /** Sorted distinct values of the base; null for a direct column. */
  private Object[] ranks = new Object[0];
  private long directMin;
  private int rankCount;
  /** For each rank r, how many base rows have a rank below r (size rankCount + 1). */
  private int[] below = {0};

  SortedColumn(Comparator<Object> order) {
    this.order = order;
  }

  static SortedColumn numbers() {
    return new SortedColumn((a, b) -> Numbers.compare((Number) a, (Number) b));
  }

  static SortedColumn strings() {
    return new SortedColumn((a, b) -> Predicates.compareCodePoints((String) a, (String) b));
  }

  /** The rows that have a value. Live view: do not modify. */
  RoaringBitmap present() {
    return present;
  }

  Object get(int row) {
    return row < values.length ? values[row] : null;
  }

  /** Sets (or, with null, clears) the value of a row. */
  void set(int row, Object value) {
    if (row >= values.length) {
      if (value == null) {
        return;
      }
      values = Arrays.copyOf(values, Math.max(row + 1, values.length * 2));
    }
    Object old = values[row];
    if (old == value || (old != null && value != null && old.equals(value)
        && old.getClass() == value.getClass())) {
      return;
    }
    values[row] = value;
    if (value == null) {
      present.remove(row);
    } else {
      present.add(row);
    }
    rows = Math.max(rows, row + 1);
    if (delta.checkedAdd(row)) {
      deltaSize++;
    }
  }

  /** Rebuilds the base when the delta has grown too large for queries to stay cheap. */
  void maintain() {
    if (deltaSize > Math.max(MIN_DELTA, rows >>> 5)) {
      rebuild();
    }
  }

  /** Builds the base from the current values and empties the delta. */
  void rebuild() {
    int n = rows;
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    boolean longs = true;
    boolean doubles = true;
    int count = 0;
    for (int i = 0; i < n; i++) {
      Object v = values[i];
      if (v == null) {
        continue;
      }
      count++;
      if (v instanceof Long) {
        long x = (Long) v;
        min = Math.min(min, x);
        max = Math.max(max, x);
        doubles = false;
      } else {
        longs = false;
        doubles &= v instanceof Double;
      }
    }
    int[] codes = new int[n];
    if (count == 0) {
      ranks = new Object[0];
      rankCount = 0;
      Arrays.fill(codes, 0);
    } else if (longs && max - min < MAX_DIRECT_SPAN) {
      ranks = null;
      directMin = min;
      rankCount = (int) (max - min + 1);
      for (int i = 0; i < n; i++) {
        Object v = values[i];
        codes[i] = v == null ? rankCount : (int) ((Long) v - min);
      }
    } else if (doubles) {
      double[] sorted = new double[count];
      int k = 0;
      for (int i = 0; i < n; i++) {
        if (values[i] != null) {
          sorted[k++] = (Double) values[i] + 0.0; // -0.0 is 0.0
        }
      }
      Arrays.sort(sorted);
      int d = 0;
      for (int i = 0; i < sorted.length; i++) {
        if (d == 0 || sorted[i] != sorted[d - 1]) {
          sorted[d++] = sorted[i];
        }
      }
      ranks = new Object[d];
      for (int i = 0; i < d; i++) {
        ranks[i] = sorted[i];
      }
      rankCount = d;
      double[] distinct = Arrays.copyOf(sorted, d);
      for (int i = 0; i < n; i++) {
        Object v = values[i];
        codes[i] = v == null ? d : Arrays.binarySearch(distinct, (Double) v + 0.0);
      }
    } else {
      Object[] sorted = new Object[count];
      int k = 0;
      for (int i = 0; i < n; i++) {
        if (values[i] != null) {
          sorted[k++] = values[i];
        }
      }
      Arrays.sort(sorted, order);
      int d = 0;
      for (int i = 0; i < sorted.length; i++) {
        if (d == 0 || order.compare(sorted[i], sorted[d - 1]) != 0) {
          sorted[d++] = sorted[i];
        }
      }
      ranks = Arrays.copyOf(sorted, d);
      rankCount = d;
      for (int i = 0; i < n; i++) {
        Object v = values[i];
        codes[i] = v == null ? d : Arrays.binarySearch(ranks, v, order);
      }
    }
    int[] histogram = new int[rankCount + 1];
    for (int i = 0; i < n; i++) {
      histogram[codes[i]]++;
    }
    below = new int[rankCount + 1];
    for (int r = 1; r <= rankCount; r++) {
      below[r] = below[r - 1] + histogram[r - 1];
    }
    keepCodes(codes, n);
    if (rankCount <= MAX_RANK_BITMAPS) {
      RoaringBitmap[] rows = new RoaringBitmap[rankCount];
      RoaringBitmapWriter<RoaringBitmap>[] writers =
          newWriters(rankCount);
      for (int i = 0; i < n; i++) {
        if (codes[i] < rankCount) {
          writers[codes[i]].add(i);
        }
      }
      baseBytes = 0;
      for (int r = 0; r < rankCount; r++) {
        rows[r] = writers[r].get();
        rows[r].runOptimize();
        baseBytes += rows[r].getLongSizeInBytes();
      }
      byRank = rows;
      base = null;
    } else {
      RangeBitmap.Appender appender = RangeBitmap.appender(rankCount);
      for (int i = 0; i < n; i++) {
        appender.add(codes[i]);
      }
      baseBytes = appender.serializedSizeInBytes();
      base = appender.build();
      byRank = null;
    }
    present.runOptimize();
    built = true;
    delta.clear();
    deltaSize = 0;
  }

  private void keepCodes(int[] codes, int n) {
    codeShift = 0;
    if (rankCount <= 256) {
      byteCodes = new byte[n];
      charCodes = null;
      for (int i = 0; i < n; i++) {
        byteCodes[i] = (byte) codes[i];
      }
      return;
    }
    while ((rankCount - 1) >>> codeShift > Character.MAX_VALUE) {
      codeShift++;
    }
    byteCodes = null;
    charCodes = new char[n];
    for (int i = 0; i < n; i++) {
      charCodes[i] = (char) (codes[i] >>> codeShift);
    }
  }

  private int code(int row) {
    return byteCodes != null ? byteCodes[row] & 0xFF : charCodes[row];
  }

  @SuppressWarnings({"unchecked", "rawtypes"}) // an array of a generic type
  private static RoaringBitmapWriter<RoaringBitmap>[] newWriters(int n) {
    RoaringBitmapWriter<RoaringBitmap>[] w = new RoaringBitmapWriter[n];
    for (int i = 0; i < n; i++) {
      w[i] = RoaringBitmapWriter.writer().get();
    }
    return w;
  }

  private Object rankValue(int r) {
    return ranks == null ? (Object) (directMin + r) : ranks[r];
  }

  /** The least rank whose value is at least {@code v} (or {@code rankCount}). */
  int lowerBound(Object v) {
    int lo = 0;
    int hi = rankCount;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (order.compare(rankValue(mid), v) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The least rank whose value is greater than {@code v} (or {@code rankCount}). */
  int upperBound(Object v) {
    int lo = 0;
    int hi = rankCount;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (order.compare(rankValue(mid), v) <= 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The least rank at or after {@code from} whose value fails {@code inRun} (values in order). */
  int endOfRun(int from, Predicate<Object> inRun) {
    int lo = from;
    int hi = rankCount;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (inRun.test(rankValue(mid))) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  int rankCount() {
    return rankCount;
  }

  /**
   * The least value above {@code v} among the base's ranks and the rows changed since, or null.
   * (A rank may be the old value of a changed row: never later than the true answer.)
   */
  Object nextAbove(Object v) {
    int r = upperBound(v);
    Object best = r < rankCount ? rankValue(r) : null;
    if (deltaSize > 0) {
      for (org.roaringbitmap.IntIterator it = delta.getIntIterator(); it.hasNext(); ) {
        Object x = values[it.next()];
        if (x != null && order.compare(x, v) > 0 && (best == null || order.compare(x, best) < 0)) {
          best = x;
        }
      }
    }
    return best;
  }

  /** Whether the value of base rank {@code r} passes {@code test}. */
  boolean rankPasses(int r, Predicate<Object> test) {
    return test.test(rankValue(r));
  }

  /** How many base rows have a rank in {@code [lo, hi)}: an estimate of a range's rows. */
  long estimate(int lo, int hi) {
    if (!built) {
      return present.getLongCardinality();
    }
    lo = Math.max(0, lo);
    hi = Math.min(rankCount, hi);
    return (hi <= lo ? 0 : below[hi] - below[lo]) + deltaSize;
  }

  /**
   * The rows (within {@code context} when it is not null) whose value has a rank in
   * {@code [lo, hi)} of the base, or, for rows changed since, passes {@code exact}, which must
   * agree with that range on the base's values.
   */
  RoaringBitmap select(int lo, int hi, Predicate<Object> exact, RoaringBitmap context) {
    if (context != null && worthScanning(lo, hi, context)) {
      RoaringBitmap out = new RoaringBitmap();
      scan(lo, hi, exact, context, out);
      return out;
    }
    RoaringBitmap out = baseRange(lo, hi, context);
    if (deltaSize > 0) {
      out.andNot(delta);
      RoaringBitmap changed = context == null ? delta : RoaringBitmap.and(delta, context);
      changed.forEach((int row) -> {
        Object v = values[row];
        if (v != null && exact.test(v)) {
          out.add(row);
        }
      });
    }
    return out;
  }

  /**
   * Whether checking the context's rows one by one is cheaper than the index: the context is
   * small beside the column, or (for bitmaps per value, whose cost is the rows they merge) beside
   * the rows in the range.
   */
  private boolean worthScanning(int lo, int hi, RoaringBitmap context) {
    long rows = context.getLongCardinality();
    if (rows * SCAN_RATIO < below[rankCount]) {
      return true;
    }
    return byRank != null && lo < hi && rows * 4 < below[Math.min(hi, rankCount)]
        - below[Math.max(0, lo)];
  }

  /** The base rows with a rank in {@code [lo, hi)}, within {@code context} when not null. */
  private RoaringBitmap baseRange(int lo, int hi, RoaringBitmap context) {
    if (!built || lo >= hi) {
      return new RoaringBitmap();
    }
    if (base != null) {
      return context == null ? base.between(lo, hi - 1) : base.between(lo, hi - 1, context);
    }
    RoaringBitmap out = hi - lo == 1 ? byRank[lo].clone()
        : FastAggregation.or(Arrays.asList(byRank).subList(lo, hi).iterator());
    if (context != null) {
      out.and(context);
    }
    return out;
  }

  /** The number of rows {@link #select} would return, without building them where possible. */
  long count(int lo, int hi, Predicate<Object> exact, RoaringBitmap context) {
    if (context != null && worthScanning(lo, hi, context)) {
      return scan(lo, hi, exact, context, null);
    }
    if (deltaSize > 0 || base == null) {
      return select(lo, hi, exact, context).getLongCardinality();
    }
    if (lo >= hi) {
      return 0;
    }
    return context == null ? base.betweenCardinality(lo, hi - 1)
        : base.betweenCardinality(lo, hi - 1, context);
  }

  /**
   * Checks the context's rows one by one: a base row by its code (its value only when the code is
   * a boundary one), a changed row by {@code exact}. Adds the rows that pass to {@code out} (when
   * not null) and returns how many they are.
   */
  private long scan(int lo, int hi, Predicate<Object> exact, RoaringBitmap context,
      RoaringBitmap out) {
    RoaringBitmap rows = RoaringBitmap.and(present, context);
    long[] n = {0};
    if (deltaSize > 0) {
      RoaringBitmap changed = RoaringBitmap.and(rows, delta);
      rows.andNot(changed);
      changed.forEach((int row) -> {
        if (exact.test(values[row])) {
          n[0]++;
          if (out != null) {
            out.add(row);
          }
        }
      });
    }
    lo = Math.max(lo, 0);
    hi = Math.min(hi, rankCount);
    if (!built || lo >= hi) {
      return n[0];
    }
    int first = lo >>> codeShift;
    int last = (hi - 1) >>> codeShift;
    boolean exactCodes = codeShift == 0;
    rows.forEach((int row) -> {
      int c = code(row);
      boolean in = c > first && c < last
          || (c == first || c == last) && (exactCodes || exact.test(values[row]));
      if (in) {
        n[0]++;
        if (out != null) {
          out.add(row);
        }
      }
    });
    return n[0];
  }

  /** The rows (within {@code context}) whose value passes {@code test}, checked one by one. */
  RoaringBitmap scan(Predicate<Object> test, RoaringBitmap context) {
    RoaringBitmap out = new RoaringBitmap();
    RoaringBitmap rows = context == null ? present : RoaringBitmap.and(present, context);
    rows.forEach((int row) -> {
      if (test.test(values[row])) {
        out.add(row);
      }
    });
    return out;
  }

  /** Bytes of the index: the base, the codes, the presence and delta bitmaps, the ranks. */
  long indexBytes() {
    long codes = byteCodes != null ? byteCodes.length : charCodes != null ? 2L * charCodes.length
        : 0;
    return baseBytes + codes + present.getLongSizeInBytes() + delta.getLongSizeInBytes()
        + 4L * below.length + (ranks == null ? 0 : 8L * ranks.length);
  }
}
