package dev.cdpkit;

import dev.cdpkit.segment.SegmentExpr;
import java.time.Instant;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.roaringbitmap.buffer.ImmutableRoaringBitmap;

/**
 * The members of a segment expression at one moment: made by {@link Cdp#evaluate} (ad hoc) and
 * {@link Segment#evaluate()}.
 *
 * <p>Immutable and thread-safe: later messages do not change it. {@link #profiles()} reads each
 * member's profile as it is when the stream reaches it, skipping members that no longer exist.
 */
public final class SegmentResult {
  private final SegmentExpr expression;
  private final Instant evaluatedAt;
  private final ImmutableRoaringBitmap members;
  private final IntFunction<Optional<Profile>> profileAt;

  SegmentResult(SegmentExpr expression, Instant evaluatedAt, ImmutableRoaringBitmap members,
      IntFunction<Optional<Profile>> profileAt) {
    this.expression = expression;
    this.evaluatedAt = evaluatedAt;
    this.members = members;
    this.profileAt = profileAt;
  }

  /** The expression evaluated. */
  public SegmentExpr expression() {
    return expression;
  }

  /** The clock's {@code now} of the evaluation: the end of every {@code within} window. */
  public Instant evaluatedAt() {
    return evaluatedAt;
  }

  /** How many profiles satisfied the expression. */
  public long count() {
    return members.getLongCardinality();
  }

  /** The ordinals of the profiles that satisfied the expression; read-only. */
  public ImmutableRoaringBitmap members() {
    return members;
  }

  /** The profiles that satisfied the expression, in ordinal order. */
  public Stream<Profile> profiles() {
    return StreamSupport.stream(members.spliterator(), false)
        .map(profileAt::apply)
        .flatMap(Optional::stream);
  }

  @Override
  public String toString() {
    return "SegmentResult{" + count() + " profiles at " + evaluatedAt + ": "
        + expression.render() + "}";
  }
}
