package dev.cdpkit.internal.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdpkit.segment.SegmentExpr.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

/**
 * A sorted column answers every comparison exactly like checking each row, whatever mix of built
 * base and changed rows it holds: through many changes (and so several rebuilds), for direct
 * (small whole numbers), double, mixed-number and string columns, with and without a context.
 */
class SortedColumnTest {
  private static final int ROWS = 10_000;

  @Test
  void smallWholeNumbers() {
    check(SortedColumn.numbers(), r -> (Object) (long) (r.nextInt(40) - 5),
        r -> r.nextBoolean() ? (Object) (long) (r.nextInt(50) - 10) : r.nextInt(50) - 10 + 0.5);
  }

  @Test
  void doubles() {
    check(SortedColumn.numbers(), r -> r.nextInt(10) == 0 ? -0.0 : (r.nextInt(400) - 200) / 4.0,
        r -> r.nextBoolean() ? (Object) (long) (r.nextInt(100) - 50) : (r.nextInt(400) - 200) / 4.0);
  }

  @Test
  void mixedAndHugeNumbers() {
    check(SortedColumn.numbers(), r -> {
      switch (r.nextInt(4)) {
        case 0:
          return (1L << 53) + r.nextInt(3);
        case 1:
          return (double) (1L << 53) + 2 * r.nextInt(2);
        case 2:
          return r.nextLong();
        default:
          return r.nextGaussian();
      }
    }, r -> r.nextBoolean() ? (Object) ((1L << 53) + r.nextInt(3)) : (Object) r.nextGaussian());
  }

  @Test
  void strings() {
    String[] s = {"", "a", "ab", "b", "\uffff", "\ud83d\ude00", "pro", "pr", "Z"};
    check(SortedColumn.strings(), r -> s[r.nextInt(s.length)], r -> s[r.nextInt(s.length)]);
  }

  @Test
  void moreDistinctValuesThanCodesTellApart() {
    // 150,000 distinct values share 65,536 codes: boundary codes are checked by value
    checkRows(150_000, SortedColumn.numbers(), r -> (double) r.nextInt(1 << 30),
        r -> (double) r.nextInt(1 << 30));
  }

  private static void check(SortedColumn col, Function<Random, Object> values,
      Function<Random, Object> literals) {
    checkRows(ROWS, col, values, literals);
  }

  private static void checkRows(int rows, SortedColumn col, Function<Random, Object> values,
      Function<Random, Object> literals) {
    Random r = new Random(7);
    Object[] truth = new Object[rows];
    for (int step = 0; step < 30; step++) {
      // a burst of changes, some of them clearing rows; bursts cross the rebuild threshold
      for (int i = 0, n = step % 5 == 0 ? rows * 4 / 5 : 300; i < n; i++) {
        int row = r.nextInt(rows);
        Object v = r.nextInt(8) == 0 ? null : values.apply(r);
        truth[row] = v;
        col.set(row, v);
      }
      if (step % 3 == 0) {
        col.maintain();
      }
      if (step % 8 == 7) {
        col.rebuild();
      }
      // a third of the rows, or (checked row by row) a few
      RoaringBitmap context = new RoaringBitmap();
      int share = step % 2 == 0 ? 3 : 1000;
      for (int i = 0; i < rows; i++) {
        if (r.nextInt(share) == 0) {
          context.add(i);
        }
      }
      int[] inContext = context.toArray();
      for (Op op : Op.values()) {
        // half the time a value a row of the context holds: the edges of ranges and codes
        Object held = inContext.length == 0 ? null : truth[inContext[r.nextInt(inContext.length)]];
        Object literal = held != null && r.nextBoolean() ? held : literals.apply(r);
        List<Integer> expected = new ArrayList<>();
        List<Integer> expectedInContext = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
          if (truth[i] != null && Predicates.compare(truth[i], op, literal)) {
            expected.add(i);
            if (context.contains(i)) {
              expectedInContext.add(i);
            }
          }
        }
        String what = "step " + step + ": value " + op.symbol() + " " + literal;
        assertThat(toList(TraitColumn.select(col, op, literal, null))).as(what)
            .isEqualTo(expected);
        assertThat(toList(TraitColumn.select(col, op, literal, context))).as(what)
            .isEqualTo(expectedInContext);
        assertThat(TraitColumn.count(col, op, literal, context)).as(what)
            .isEqualTo(expectedInContext.size());
      }
    }
  }

  private static List<Integer> toList(RoaringBitmap b) {
    List<Integer> out = new ArrayList<>();
    b.forEach((int i) -> out.add(i));
    return out;
  }
}
