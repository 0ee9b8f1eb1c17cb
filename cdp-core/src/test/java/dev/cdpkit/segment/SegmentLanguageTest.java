package dev.cdpkit.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdpkit.SegmentSyntaxException;
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
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every form of the segment language, and every kind of syntax error with its message. */
class SegmentLanguageTest {

  private static Path p(String text) {
    return Path.of(text);
  }

  private static SegmentExpr parse(String text) {
    SegmentExpr e = SegmentExpr.parse(text);
    assertThat(SegmentExpr.parse(e.render())).as("round trip of %s", text).isEqualTo(e);
    return e;
  }

  @Test
  void theProductManagersQuestion() {
    SegmentExpr e = parse("ltv > 1000\n"
        + "  and count(\"Feature Used\" where feature = \"A\" within 90d) > 5\n"
        + "  and count(\"Feature Used\" where feature = \"B\" within 90d) > 5\n"
        + "  and count(\"Ticket Created\" within 90d) >= 3");
    Span d90 = new Span(90, 'd');
    assertThat(e).isEqualTo(new And(List.of(
        new Compare(p("ltv"), Op.GT, 1000L),
        new AggregateCompare(new Aggregate(Fn.COUNT, "Feature Used", Optional.empty(),
            Optional.of(new Compare(p("feature"), Op.EQ, "A")), Optional.of(d90)), Op.GT, 5L),
        new AggregateCompare(new Aggregate(Fn.COUNT, "Feature Used", Optional.empty(),
            Optional.of(new Compare(p("feature"), Op.EQ, "B")), Optional.of(d90)), Op.GT, 5L),
        new AggregateCompare(new Aggregate(Fn.COUNT, "Ticket Created", Optional.empty(),
            Optional.empty(), Optional.of(d90)), Op.GE, 3L))));
    assertThat(d90.toDuration()).isEqualTo(Duration.ofDays(90));
  }

  @Test
  void theDesignExamples() {
    assertThat(parse("account.arr >= 100000 and count(\"Feature Used\" within 30d) < 3"
        + " and consented \"marketing\"")).isEqualTo(new And(List.of(
            new Compare(p("account.arr"), Op.GE, 100000L),
            new AggregateCompare(new Aggregate(Fn.COUNT, "Feature Used", Optional.empty(),
                Optional.empty(), Optional.of(new Span(30, 'd'))), Op.LT, 3L),
            new Consented("marketing"))));
    assertThat(parse("plan in (\"pro\", \"enterprise\") and not in segment \"churned\""
        + " and has email")).isEqualTo(new And(List.of(
            new InList(p("plan"), false, List.of("pro", "enterprise")),
            new Not(new InSegment("churned")), new Has("email"))));
  }

  @Test
  void everyPredicateForm() {
    assertThat(parse("a = 1")).isEqualTo(new Compare(p("a"), Op.EQ, 1L));
    assertThat(parse("a != -2.5")).isEqualTo(new Compare(p("a"), Op.NE, -2.5));
    assertThat(parse("a < 1e3")).isEqualTo(new Compare(p("a"), Op.LT, 1000.0));
    assertThat(parse("a <= true")).isEqualTo(new Compare(p("a"), Op.LE, true));
    assertThat(parse("a >= FALSE")).isEqualTo(new Compare(p("a"), Op.GE, false));
    assertThat(parse("a not in (1, 'x')")).isEqualTo(new InList(p("a"), true, List.of(1L, "x")));
    assertThat(parse("age between 18 and 65")).isEqualTo(new Between(p("age"), 18L, 65L));
    assertThat(parse("phone is null")).isEqualTo(new IsNull(p("phone"), false));
    assertThat(parse("phone IS NOT NULL")).isEqualTo(new IsNull(p("phone"), true));
    assertThat(parse("email contains \"@acme\"")).isEqualTo(
        new TextMatch(p("email"), TextOp.CONTAINS, "@acme"));
    assertThat(parse("name starts with 'Dr'")).isEqualTo(
        new TextMatch(p("name"), TextOp.STARTS_WITH, "Dr"));
    assertThat(parse("email ends with \".io\"")).isEqualTo(
        new TextMatch(p("email"), TextOp.ENDS_WITH, ".io"));
    assertThat(parse("last_login within 12h")).isEqualTo(
        new Within(p("last_login"), new Span(12, 'h')));
    assertThat(parse("sum(\"Order Completed\", revenue where currency = 'EUR' within 2w) > 99"))
        .isEqualTo(new AggregateCompare(new Aggregate(Fn.SUM, "Order Completed",
            Optional.of(p("revenue")), Optional.of(new Compare(p("currency"), Op.EQ, "EUR")),
            Optional.of(new Span(2, 'w'))), Op.GT, 99L));
    for (Fn fn : new Fn[] {Fn.MIN, Fn.MAX, Fn.AVG}) {
      assertThat(parse(fn.keyword().toUpperCase() + "('Paid', amount) = 3")).isEqualTo(
          new AggregateCompare(new Aggregate(fn, "Paid", Optional.of(p("amount")),
              Optional.empty(), Optional.empty()), Op.EQ, 3L));
    }
    assertThat(parse("has salesforce_id")).isEqualTo(new Has("salesforce_id"));
    assertThat(parse("In Segment 'vip'")).isEqualTo(new InSegment("vip"));
  }

  @Test
  void logicPrecedenceAndParentheses() {
    SegmentExpr a = new Compare(p("a"), Op.EQ, 1L);
    SegmentExpr b = new Compare(p("b"), Op.EQ, 2L);
    SegmentExpr c = new Compare(p("c"), Op.EQ, 3L);
    assertThat(parse("a = 1 or b = 2 and c = 3")).isEqualTo(new Or(List.of(a,
        new And(List.of(b, c)))));
    assertThat(parse("(a = 1 or b = 2) and c = 3")).isEqualTo(new And(List.of(
        new Or(List.of(a, b)), c)));
    assertThat(parse("not a = 1 and b = 2")).isEqualTo(new And(List.of(new Not(a), b)));
    assertThat(parse("not (a = 1 and b = 2)")).isEqualTo(new Not(new And(List.of(a, b))));
    assertThat(parse("a = 1 AND b = 2 AnD c = 3")).isEqualTo(new And(List.of(a, b, c)));
    assertThat(new Or(List.of(a, b)).render()).isEqualTo("a = 1 or b = 2");
    assertThat(new And(List.of(new Or(List.of(a, b)), c)).render())
        .isEqualTo("(a = 1 or b = 2) and c = 3");
  }

  @Test
  void pathsStringsAndDurations() {
    assertThat(parse("`first name` = \"Ada\"")).isEqualTo(new Compare(p("first name"), Op.EQ,
        "Ada"));
    assertThat(parse("address.city = 'Lyon'")).isEqualTo(new Compare(p("address.city"), Op.EQ,
        "Lyon"));
    assertThat(parse("`count` > 1")).isEqualTo(new Compare(p("count"), Op.GT, 1L));
    assertThat(new Compare(p("count"), Op.GT, 1L).render()).isEqualTo("`count` > 1");
    assertThat(parse("q = \"say \\\"hi\\\"\\n\\tit's \\u00e9\"")).isEqualTo(
        new Compare(p("q"), Op.EQ, "say \"hi\"\n\tit's \u00e9"));
    assertThat(parse("q = 'it\\'s'")).isEqualTo(new Compare(p("q"), Op.EQ, "it's"));
    assertThat(parse("t within 45s or t within 30m or t within 1w")).isEqualTo(new Or(List.of(
        new Within(p("t"), new Span(45, 's')), new Within(p("t"), new Span(30, 'm')),
        new Within(p("t"), new Span(1, 'w')))));
    assertThat(new Span(30, 'm').toDuration()).isEqualTo(Duration.ofMinutes(30));
  }

  private static void syntaxError(String text, String message) {
    assertThatThrownBy(() -> SegmentExpr.parse(text)).isInstanceOf(SegmentSyntaxException.class)
        .hasMessage(message);
  }

  @Test
  void syntaxErrorsSayWhereAndWhatWasExpected() {
    syntaxError("ltv > ", "line 1, column 7: expected a literal (a number, a string in quotes,"
        + " true or false) but found the end of the expression\nltv > \n      ^");
    syntaxError("ltv > 1000\n  and plan", "line 2, column 11: expected a comparison (=, !=, <,"
        + " <=, >, >=), in, not in, between, is null, contains, starts with, ends with or within"
        + " after plan but found the end of the expression\n  and plan\n          ^");
    syntaxError("a = 1 b = 2", "line 1, column 7: expected 'and', 'or' or the end of the"
        + " expression but found 'b'\na = 1 b = 2\n      ^");
    syntaxError("(a = 1", "line 1, column 7: expected ')' but found the end of the"
        + " expression\n(a = 1\n      ^");
    syntaxError("and = 1", "line 1, column 1: expected a path; write the word and as a path in"
        + " backticks: `and` but found 'and'\nand = 1\n^");
    syntaxError("t within 90", "line 1, column 10: expected a duration such as 90d, 12h, 30m"
        + " (minutes), 45s or 2w but found '90'\nt within 90\n         ^");
    syntaxError("t within 90y", "line 1, column 10: expected a number or a duration (90d, 12h,"
        + " 30m, 45s, 2w) but found '90y'\nt within 90y\n         ^");
    syntaxError("a = \"open", "line 1, column 5: expected the closing \" of this string but"
        + " found the end of the expression\na = \"open\n    ^");
    syntaxError("sum(\"Paid\") > 1", "line 1, column 11: expected ',' and the property to sum"
        + " but found ')'\nsum(\"Paid\") > 1\n          ^");
    syntaxError("count(\"Paid\") > x", "line 1, column 17: expected a number but found"
        + " 'x'\ncount(\"Paid\") > x\n                ^");
    syntaxError("a between 1 or 2", "line 1, column 13: expected 'and' between the two ends"
        + " but found 'or'\na between 1 or 2\n            ^");
    syntaxError("a ! 1", "line 1, column 3: expected '!=' but found '!'\na ! 1\n  ^");
    syntaxError("consented marketing", "line 1, column 11: expected the purpose in quotes,"
        + " such as \"marketing\" but found 'marketing'\nconsented marketing\n          ^");
    syntaxError("a = 1 and # b", "line 1, column 11: expected a path, a value, an operator or"
        + " a parenthesis but found '#'\na = 1 and # b\n          ^");
    SegmentSyntaxException e = (SegmentSyntaxException) org.assertj.core.api.Assertions
        .catchThrowable(() -> SegmentExpr.parse("x in 1"));
    assertThat(e.line()).isEqualTo(1);
    assertThat(e.column()).isEqualTo(6);
    assertThat(e.expected()).isEqualTo("'(' and a list of values");
  }

  @Test
  void astMistakesAreCallerErrors() {
    assertThatThrownBy(() -> new And(List.of(new Has("email"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("and needs at least two terms, got 1");
    assertThatThrownBy(() -> new Aggregate(Fn.SUM, "x", Optional.empty(), Optional.empty(),
        Optional.empty())).hasMessage("sum needs a property");
    assertThatThrownBy(() -> new Compare(p("a"), Op.EQ, Double.NaN))
        .hasMessage("a number literal must be finite: NaN");
    assertThatThrownBy(() -> new Span(1, 'y'))
        .hasMessage("duration unit must be s, m, h, d or w: y");
    assertThatThrownBy(() -> Path.of("a`b"))
        .hasMessage("path must be non-empty, without backticks or line breaks: 'a`b'");
  }
}
