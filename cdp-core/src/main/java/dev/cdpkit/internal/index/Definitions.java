package dev.cdpkit.internal.index;

import dev.cdpkit.SegmentSyntaxException;
import dev.cdpkit.segment.SegmentExpr;
import dev.cdpkit.segment.SegmentExpr.Aggregate;
import dev.cdpkit.segment.SegmentExpr.AggregateCompare;
import dev.cdpkit.segment.SegmentExpr.Consented;
import dev.cdpkit.segment.SegmentExpr.Has;
import dev.cdpkit.segment.SegmentExpr.InSegment;
import dev.cdpkit.segment.SegmentExpr.Within;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The named segments of one {@code Cdp}, and the checks an expression passes before it is
 * defined or evaluated: every segment it names exists, no definition refers to itself through
 * others, an aggregate's {@code where} holds only conditions on properties, and an aggregate's
 * property is one its events carry as a number.
 *
 * <p>Thread-safe: definitions are read and replaced under this object's monitor.
 */
public final class Definitions {
  private final Map<String, SegmentExpr> byName = new HashMap<>();
  private final SegmentIndex index;

  /** Definitions checked against what {@code index} has seen of event properties. */
  public Definitions(SegmentIndex index) {
    this.index = index;
  }

  /** The expression of a defined segment, or null. */
  public synchronized SegmentExpr get(String name) {
    return byName.get(name);
  }

  /** The names of the defined segments, sorted. */
  public synchronized List<String> names() {
    return List.copyOf(new TreeSet<>(byName.keySet()));
  }

  /** Takes back definitions that were checked when they were made (read from a store). */
  public synchronized void restore(Map<String, SegmentExpr> definitions) {
    byName.putAll(definitions);
  }

  /**
   * Checks {@code e}, runs {@code keep} (which persists it) and defines it as {@code name},
   * replacing an earlier definition.
   *
   * @param text the expression's text, to point at the offending clause
   * @throws SegmentSyntaxException if the checks fail; nothing is defined then
   */
  public synchronized void define(String name, SegmentExpr e, String text, Runnable keep) {
    check(e, text);
    Deque<String> path = new ArrayDeque<>();
    path.add(name);
    Optional<Deque<String>> cycle = cycle(e, name, path);
    if (cycle.isPresent()) {
      String last = cycle.get().peekLast();
      throw at(text, "\"" + last + "\"", "segment '" + name + "' would refer to itself: "
          + String.join(" -> ", cycle.get()), "a segment that does not refer back to '" + name
          + "'");
    }
    keep.run();
    byName.put(name, e);
  }

  private Optional<Deque<String>> cycle(SegmentExpr e, String target, Deque<String> path) {
    Deque<String> found = null;
    for (String ref : references(e)) {
      path.addLast(ref);
      if (ref.equals(target)) {
        return Optional.of(new ArrayDeque<>(path));
      }
      SegmentExpr next = byName.get(ref);
      if (next != null && path.size() <= byName.size() + 1) {
        Optional<Deque<String>> deeper = cycle(next, target, path);
        if (deeper.isPresent()) {
          found = deeper.get();
        }
      }
      path.removeLast();
      if (found != null) {
        return Optional.of(found);
      }
    }
    return Optional.empty();
  }

  private static List<String> references(SegmentExpr e) {
    List<String> out = new java.util.ArrayList<>();
    Expressions.forEachReference(e, out::add);
    return out;
  }

  /**
   * Checks an expression to evaluate or define.
   *
   * @throws SegmentSyntaxException naming the segment or clause at fault
   */
  public synchronized void check(SegmentExpr e, String text) {
    for (String ref : references(e)) {
      if (!byName.containsKey(ref)) {
        throw at(text, "\"" + ref + "\"", "unknown segment '" + ref + "'",
            byName.isEmpty() ? "a defined segment (none is defined yet)"
                : "one of the defined segments " + names());
      }
    }
    Expressions.forEachAggregate(e, a -> {
      a.where().ifPresent(w -> checkWhere(w, a, text));
      Optional<String> problem = index.nonNumericProperty(a);
      if (problem.isPresent()) {
        throw at(text, a.property().get().text(), a.fn().keyword() + "(\"" + a.event()
            + "\", " + a.property().get().text() + "): " + problem.get(),
            "a property its events carry as a number");
      }
    });
  }

  private static void checkWhere(SegmentExpr w, Aggregate a, String text) {
    if (w instanceof InSegment || w instanceof Has || w instanceof Consented
        || w instanceof AggregateCompare || w instanceof Within) {
      String what = w instanceof Within ? "'within' on a property (give the aggregate its own"
          + " 'within' instead)" : "'" + w.render() + "'";
      throw at(text, w.render(), "the where of " + a.fn().keyword() + "(\"" + a.event()
          + "\" ...) holds " + what + ", which has no meaning for an event's properties",
          "conditions on the event's properties");
    }
    for (SegmentExpr c : Expressions.children(w)) {
      checkWhere(c, a, text);
    }
  }

  /** An exception pointing at the first occurrence of {@code needle} in {@code text}. */
  private static SegmentSyntaxException at(String text, String needle, String problem,
      String expected) {
    int i = Math.max(0, text.indexOf(needle));
    if (text.indexOf(needle) < 0 && needle.startsWith("\"")) {
      i = Math.max(0, text.indexOf("'" + needle.substring(1, needle.length() - 1) + "'"));
    }
    int line = 1;
    int lineStart = 0;
    for (int k = 0; k < i; k++) {
      if (text.charAt(k) == '\n') {
        line++;
        lineStart = k + 1;
      }
    }
    return new SegmentSyntaxException(text, line, i - lineStart + 1, problem, expected);
  }
}
