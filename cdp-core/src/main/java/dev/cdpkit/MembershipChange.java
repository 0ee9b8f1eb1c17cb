package dev.cdpkit;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One profile entering or leaving one defined segment, as {@link Cdp#onMembershipChange}
 * listeners are told: once per real change, whether a message, a merge or split, forgetting, a
 * redefinition or the passing of time ({@link Cdp#tick}) caused it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param segment the segment's name
 * @param profileId the profile (for an exit caused by a merge, the merged-away id)
 * @param entered true when the profile entered, false when it exited
 * @param at the instant of the {@code Cdp}'s clock at which the change was found
 */
public record MembershipChange(String segment, ProfileId profileId, boolean entered, Instant at) {
  /** Checks the parts. */
  public MembershipChange {
    requireNonNull(segment, "segment");
    requireNonNull(profileId, "profileId");
    requireNonNull(at, "at");
  }
}
