package dev.cdpkit.segment;

import static dev.cdpkit.segment.Segments.and;
import static dev.cdpkit.segment.Segments.consented;
import static dev.cdpkit.segment.Segments.count;
import static dev.cdpkit.segment.Segments.has;
import static dev.cdpkit.segment.Segments.inSegment;
import static dev.cdpkit.segment.Segments.not;
import static dev.cdpkit.segment.Segments.or;
import static dev.cdpkit.segment.Segments.path;
import static dev.cdpkit.segment.Segments.sum;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The Java builder makes the same trees as the language. */
class SegmentsTest {

  @Test
  void builderEqualsParser() {
    assertThat(and(
        path("ltv").gt(1000),
        count("Feature Used").where(path("feature").eq("A")).within(90, 'd').gt(5),
        count("Ticket Created").within(90, 'd').ge(3)))
        .isEqualTo(SegmentExpr.parse("ltv > 1000 and count(\"Feature Used\" where feature = \"A\""
            + " within 90d) > 5 and count(\"Ticket Created\" within 90d) >= 3"));
    assertThat(or(path("plan").in("pro", "enterprise"), not(inSegment("churned")), has("email"),
        consented("marketing"), path("age").between(18, 65), path("phone").isNull(),
        path("phone").isNotNull(), path("email").endsWith(".io"), path("name").startsWith("Dr"),
        path("bio").contains("java"), path("seen").within(30, 'm'), path("x").notIn(1, 2),
        path("a").ne(1), path("a").lt(1), path("a").le(1.5), path("a").ge(true),
        sum("Order", "revenue").where(path("currency").eq("EUR")).lt(10.5)))
        .isEqualTo(SegmentExpr.parse("plan in ('pro', 'enterprise') or not in segment 'churned'"
            + " or has email or consented 'marketing' or age between 18 and 65 or phone is null"
            + " or phone is not null or email ends with '.io' or name starts with 'Dr'"
            + " or bio contains 'java' or seen within 30m or x not in (1, 2) or a != 1"
            + " or a < 1 or a <= 1.5 or a >= true"
            + " or sum('Order', revenue where currency = 'EUR') < 10.5"));
  }
}
