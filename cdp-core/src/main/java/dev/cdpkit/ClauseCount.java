package dev.cdpkit;

import static java.util.Objects.requireNonNull;

/**
 * How many profiles one top-level clause of a segment keeps: alone, and together with the clauses
 * written before it. The first thing to look at when a segment is unexpectedly empty:
 *
 * <pre>
 *   ltv &gt; 1000                                       alone 182,311  kept 182,311
 *   count("Feature Used" where feature = "A") &gt; 5     alone  96,042  kept  17,530
 *   count("Ticket Created" within 90d) &gt;= 3            alone   2,004  kept       0
 * </pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param clause the clause as segment-language text
 * @param alone how many live profiles satisfy the clause
 * @param kept how many satisfy it and every clause before it (for an {@code or}: it or any
 *     before it)
 */
public record ClauseCount(String clause, long alone, long kept) {
  /** Checks the parts. */
  public ClauseCount {
    requireNonNull(clause, "clause");
    if (alone < 0 || kept < 0) {
      throw new IllegalArgumentException("counts are not negative: " + alone + ", " + kept);
    }
  }
}
