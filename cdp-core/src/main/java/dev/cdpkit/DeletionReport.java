package dev.cdpkit;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * What {@link Cdp#forget} removed. It names the profile and counts what went, but repeats none
 * of the person's identifiers or traits, so it can be logged as the record of the deletion.
 *
 * <p>Immutable and thread-safe.
 *
 * @param profileId the profile deleted; empty when the identifier named none (it is suppressed
 *     all the same)
 * @param identifiers how many identifiers were unlinked and suppressed
 * @param messages how many messages were deleted from the log
 * @param traits how many traits the profile had
 * @param accounts how many accounts it was a member of
 * @param consents how many consents it had recorded
 * @param segmentsLeft the segments it was a member of (their listeners were told it exited)
 * @param audiencesToUpdate the audiences whose destinations still hold it: each one's next sync
 *     removes it there, and only then is the record of what it was sent gone too
 */
public record DeletionReport(Optional<ProfileId> profileId, int identifiers, int messages,
    int traits, int accounts, int consents, List<String> segmentsLeft,
    List<String> audiencesToUpdate) {
  /** Checks and copies the parts. */
  public DeletionReport {
    requireNonNull(profileId, "profileId");
    segmentsLeft = List.copyOf(segmentsLeft);
    audiencesToUpdate = List.copyOf(audiencesToUpdate);
  }
}
