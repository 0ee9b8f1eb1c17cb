package dev.cdpkit.internal.index;

import dev.cdpkit.segment.SegmentExpr;
import dev.cdpkit.segment.SegmentExpr.Aggregate;
import dev.cdpkit.segment.SegmentExpr.AggregateCompare;
import dev.cdpkit.segment.SegmentExpr.And;
import dev.cdpkit.segment.SegmentExpr.Between;
import dev.cdpkit.segment.SegmentExpr.Compare;
import dev.cdpkit.segment.SegmentExpr.InList;
import dev.cdpkit.segment.SegmentExpr.InSegment;
import dev.cdpkit.segment.SegmentExpr.IsNull;
import dev.cdpkit.segment.SegmentExpr.Not;
import dev.cdpkit.segment.SegmentExpr.Or;
import dev.cdpkit.segment.SegmentExpr.Path;
import dev.cdpkit.segment.SegmentExpr.TextMatch;
import dev.cdpkit.segment.SegmentExpr.Within;
import java.util.List;
import java.util.function.Consumer;

/** Walks over segment expressions. */
public final class Expressions {
  private Expressions() {}

  /** The path of a value predicate, or null for any other expression. */
  public static Path path(SegmentExpr e) {
    if (e instanceof Compare) {
      return ((Compare) e).path();
    }
    if (e instanceof InList) {
      return ((InList) e).path();
    }
    if (e instanceof Between) {
      return ((Between) e).path();
    }
    if (e instanceof IsNull) {
      return ((IsNull) e).path();
    }
    if (e instanceof TextMatch) {
      return ((TextMatch) e).path();
    }
    if (e instanceof Within) {
      return ((Within) e).path();
    }
    return null;
  }

  /** The direct children of an {@code and}, {@code or} or {@code not}; empty for the rest. */
  public static List<SegmentExpr> children(SegmentExpr e) {
    if (e instanceof And) {
      return ((And) e).terms();
    }
    if (e instanceof Or) {
      return ((Or) e).terms();
    }
    if (e instanceof Not) {
      return List.of(((Not) e).expr());
    }
    return List.of();
  }

  /** Calls {@code action} with every aggregate of {@code e} (not of the segments it names). */
  public static void forEachAggregate(SegmentExpr e, Consumer<Aggregate> action) {
    if (e instanceof AggregateCompare) {
      action.accept(((AggregateCompare) e).aggregate());
    }
    for (SegmentExpr c : children(e)) {
      forEachAggregate(c, action);
    }
  }

  /** Calls {@code action} with the name of every segment {@code e} refers to. */
  public static void forEachReference(SegmentExpr e, Consumer<String> action) {
    if (e instanceof InSegment) {
      action.accept(((InSegment) e).name());
    }
    for (SegmentExpr c : children(e)) {
      forEachReference(c, action);
    }
  }
}
