package dev.cdpkit.destination;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One sync of an audience, as its destination receives it. Immutable and thread-safe.
 *
 * @param audience the audience's name
 * @param full whether this is the first sync: {@code added} is then the whole audience (a
 *     destination may replace its list with it)
 * @param added profiles to add, with the identifiers they have now
 * @param removed profiles to remove, with the identifiers they were sent
 */
public record AudienceSync(String audience, boolean full, List<AudienceMember> added,
    List<AudienceMember> removed) {
  /** Checks and copies the parts. */
  public AudienceSync {
    requireNonNull(audience, "audience");
    added = List.copyOf(added);
    removed = List.copyOf(removed);
  }
}
