package dev.cdpkit;

import dev.cdpkit.segment.SegmentExpr;
import java.util.List;
import java.util.stream.Stream;
import org.roaringbitmap.buffer.ImmutableRoaringBitmap;

/**
 * A named segment, made by {@link Cdp#defineSegment}: its expression, evaluated whenever asked,
 * over the profiles as they are then and at the {@code Cdp}'s clock's {@code now}. Other
 * expressions may use it as {@code in segment "name"}.
 *
 * <p>A {@code Segment} keeps the expression it was defined with; {@link Cdp#segment(String)} gives
 * the current definition of a name.
 *
 * <p>Immutable and thread-safe; each call evaluates against a consistent state of the {@code Cdp}.
 */
public final class Segment {
  private final Cdp cdp;
  private final String name;
  private final SegmentExpr expression;

  Segment(Cdp cdp, String name, SegmentExpr expression) {
    this.cdp = cdp;
    this.name = name;
    this.expression = expression;
  }

  /** The segment's name. */
  public String name() {
    return name;
  }

  /** The segment's expression. */
  public SegmentExpr expression() {
    return expression;
  }

  /** How many profiles are in the segment now. */
  public long count() {
    return cdp.countOf(expression);
  }

  /**
   * The profiles in the segment now, as their ordinals: the bit positions {@link SegmentResult}
   * and every segment use, stable while a profile lives. Combine segments with RoaringBitmap's
   * set operations; turn bits into profiles with {@link #profiles()}.
   */
  public ImmutableRoaringBitmap members() {
    return evaluate().members();
  }

  /** The profiles in the segment now, in ordinal order. */
  public Stream<Profile> profiles() {
    return evaluate().profiles();
  }

  /** The segment evaluated now: members, count and profiles of one moment. */
  public SegmentResult evaluate() {
    return cdp.evaluate(expression);
  }

  /**
   * How many profiles each top-level clause keeps, alone and together with the clauses before
   * it, now: where a segment that is unexpectedly empty loses its profiles.
   */
  public List<ClauseCount> clauseCounts() {
    return cdp.clauseCountsOf(expression);
  }

  @Override
  public String toString() {
    return "Segment{" + name + ": " + expression.render() + "}";
  }
}
