package dev.cdpkit.internal.index;

import dev.cdpkit.segment.SegmentExpr;
import dev.cdpkit.segment.SegmentExpr.AggregateCompare;
import dev.cdpkit.segment.SegmentExpr.Consented;
import dev.cdpkit.segment.SegmentExpr.Has;
import dev.cdpkit.segment.SegmentExpr.InSegment;
import dev.cdpkit.segment.SegmentExpr.Within;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;

/**
 * What a segment's answer depends on, as keys that {@link SegmentIndex.Applied} names when they
 * change: a trait path, the identifier types, the consents, accounts (their traits and who
 * belongs to them), the events of one name. A segment whose keys did not change keeps its
 * answer for every profile. Thread-safe (stateless).
 */
public final class Inputs {
  static final String IDENTIFIER_TYPES = "has";
  static final String CONSENTS = "consented";
  static final String ACCOUNTS = "account";

  private Inputs() {}

  static String trait(String path) {
    return "trait:" + path;
  }

  static String events(String name) {
    return "event:" + name;
  }

  /** The keys {@code e} and the segments it names depend on. */
  public static Set<String> of(SegmentExpr e, Function<String, SegmentExpr> segments) {
    Set<String> out = new HashSet<>();
    collect(e, segments, out, new HashSet<>());
    return out;
  }

  private static void collect(SegmentExpr e, Function<String, SegmentExpr> segments,
      Set<String> out, Set<String> seen) {
    if (e instanceof InSegment) {
      String name = ((InSegment) e).name();
      if (seen.add(name)) {
        collect(segments.apply(name), segments, out, seen);
      }
    } else if (e instanceof Has) {
      out.add(IDENTIFIER_TYPES);
    } else if (e instanceof Consented) {
      out.add(CONSENTS);
    } else if (e instanceof AggregateCompare) {
      out.add(events(((AggregateCompare) e).aggregate().event()));
    } else if (!Expressions.children(e).isEmpty()) {
      for (SegmentExpr c : Expressions.children(e)) {
        collect(c, segments, out, seen);
      }
    } else {
      String path = Expressions.path(e).text();
      out.add(path.startsWith("account.") ? ACCOUNTS : trait(path));
    }
  }

  /**
   * Whether the passing of time alone can change {@code e}'s answer (directly or through the
   * segments it names): an aggregate with a window, or {@code within} on a timestamp.
   */
  public static boolean dependsOnTime(SegmentExpr e, Function<String, SegmentExpr> segments) {
    return dependsOnTime(e, segments, new HashSet<>());
  }

  private static boolean dependsOnTime(SegmentExpr e, Function<String, SegmentExpr> segments,
      Set<String> seen) {
    if (e instanceof Within) {
      return true;
    }
    if (e instanceof AggregateCompare) {
      return ((AggregateCompare) e).aggregate().within().isPresent();
    }
    if (e instanceof InSegment) {
      String name = ((InSegment) e).name();
      return seen.add(name) && dependsOnTime(segments.apply(name), segments, seen);
    }
    for (SegmentExpr c : Expressions.children(e)) {
      if (dependsOnTime(c, segments, seen)) {
        return true;
      }
    }
    return false;
  }
}
