package dev.cdpkit;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What one sync of an audience did. Immutable and thread-safe.
 *
 * @param audience the audience's name
 * @param full whether it was the first sync (everything sent)
 * @param added profiles the destination added
 * @param removed profiles the destination removed
 * @param updated members whose identifiers changed, sent as removed (as they were sent) and
 *     added again (as they are)
 * @param failed profiles the destination could not apply, with its reasons (tried again next
 *     sync)
 * @param error why the whole sync failed (the destination threw or timed out), if it did:
 *     nothing was recorded as sent, and the next sync tries it all again
 * @param members the audience's members after the sync, as the destination holds them
 * @param withoutConsent segment members left out for want of the destination's consent
 * @param capped segment members left out by the channel's frequency cap
 * @param taken segment members left out because a higher-priority audience on the channel has
 *     them
 * @param unreachable profiles to add that have none of the identifiers the audience sends
 * @param took the time the sync took, the destination's included
 * @param destinationTook the time the destination took
 */
public record SyncReport(String audience, boolean full, int added, int removed, int updated,
    Map<ProfileId, String> failed, Optional<String> error, long members, long withoutConsent,
    long capped, long taken, int unreachable, Duration took, Duration destinationTook) {
  /** Checks and copies the parts. */
  public SyncReport {
    requireNonNull(audience, "audience");
    failed = Map.copyOf(failed);
    requireNonNull(error, "error");
    requireNonNull(took, "took");
    requireNonNull(destinationTook, "destinationTook");
  }

  /** Whether the sync went through with no failure at all. */
  public boolean ok() {
    return error.isEmpty() && failed.isEmpty();
  }
}
