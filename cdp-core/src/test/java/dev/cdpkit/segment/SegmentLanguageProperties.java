package dev.cdpkit.segment;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.cdpkit.testing.PropertyCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The language round-trips: {@code parse(render(e))} equals {@code e} for generated trees. */
class SegmentLanguageProperties {
  private static final String[] PATHS = {"ltv", "plan", "account.arr", "address.city",
      "first name", "count", "and", "ÉtÉ", "a.b.c", "1st", "x-y", "account.and", "_x9"};
  private static final String[] STRINGS = {"", "A", "pro", "say \"hi\"", "it's", "back\\slash",
      "line\nbreak", "tab\there", "\u0001", "\u00e9\u4e2d\ud83d\ude00", "`tick`", "\\u0041"};

  @Test
  void parseOfRenderIsTheSameTree() {
    PropertyCheck.forAll(3000, r -> expr(r, 3), e -> List.of(), e -> {
      String text = e.render();
      assertThat(SegmentExpr.parse(text)).as(text).isEqualTo(e);
    });
  }

  static SegmentExpr expr(Random r, int depth) {
    int k = depth <= 0 ? 3 + r.nextInt(11) : r.nextInt(14);
    switch (k) {
      case 0:
        return new And(terms(r, depth));
      case 1:
        return new Or(terms(r, depth));
      case 2:
        return new Not(expr(r, depth - 1));
      case 3:
        return new Compare(path(r), op(r), literal(r));
      case 4:
        List<Object> values = new ArrayList<>();
        for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
          values.add(literal(r));
        }
        return new InList(path(r), r.nextBoolean(), values);
      case 5:
        return new Between(path(r), literal(r), literal(r));
      case 6:
        return new IsNull(path(r), r.nextBoolean());
      case 7:
        return new TextMatch(path(r), TextOp.values()[r.nextInt(3)], string(r));
      case 8:
        return new Within(path(r), span(r));
      case 9:
      case 10:
        Fn fn = Fn.values()[r.nextInt(Fn.values().length)];
        Aggregate a = new Aggregate(fn, string(r),
            fn == Fn.COUNT ? Optional.empty() : Optional.of(path(r)),
            r.nextBoolean() ? Optional.of(expr(r, depth - 1)) : Optional.empty(),
            r.nextBoolean() ? Optional.of(span(r)) : Optional.empty());
        return new AggregateCompare(a, op(r), r.nextBoolean() ? (Number) (long) r.nextInt(100)
            : (Number) (r.nextDouble() * 100));
      case 11:
        return new InSegment(string(r));
      case 12:
        return new Has(r.nextBoolean() ? "email" : r.nextBoolean() ? "salesforce_id" : "or");
      default:
        return new Consented(string(r));
    }
  }

  private static List<SegmentExpr> terms(Random r, int depth) {
    List<SegmentExpr> out = new ArrayList<>();
    for (int i = 0, n = 2 + r.nextInt(3); i < n; i++) {
      out.add(expr(r, depth - 1));
    }
    return out;
  }

  private static Path path(Random r) {
    return Path.of(PATHS[r.nextInt(PATHS.length)]);
  }

  private static Op op(Random r) {
    return Op.values()[r.nextInt(Op.values().length)];
  }

  private static String string(Random r) {
    return STRINGS[r.nextInt(STRINGS.length)];
  }

  private static Span span(Random r) {
    return new Span(r.nextInt(400), "smhdw".charAt(r.nextInt(5)));
  }

  private static Object literal(Random r) {
    switch (r.nextInt(7)) {
      case 0:
        return r.nextLong();
      case 1:
        return (long) r.nextInt(1000) - 500;
      case 2:
        return r.nextDouble() * 1e6 - 5e5;
      case 3:
        return r.nextBoolean() ? Double.MIN_VALUE : -0.0;
      case 4:
        return r.nextBoolean();
      case 5:
        return Long.MIN_VALUE;
      default:
        return string(r);
    }
  }
}
