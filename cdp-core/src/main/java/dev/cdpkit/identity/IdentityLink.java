package dev.cdpkit.identity;

import static java.util.Objects.requireNonNull;

import dev.cdpkit.Identifier;
import dev.cdpkit.ProfileId;
import java.time.Instant;
import java.util.Set;

/**
 * One entry of a profile's merge log: a message that linked identifiers to the profile or merged
 * other profiles into it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param messageId the message
 * @param timestamp when it happened
 * @param source the system it came from
 * @param linked identifiers that this message linked to the profile for the first time
 * @param merged profiles this message merged into the profile
 */
public record IdentityLink(String messageId, Instant timestamp, String source,
    Set<Identifier> linked, Set<ProfileId> merged) {

  /** Copies the sets. */
  public IdentityLink {
    requireNonNull(messageId, "messageId");
    requireNonNull(timestamp, "timestamp");
    requireNonNull(source, "source");
    linked = Set.copyOf(linked);
    merged = Set.copyOf(merged);
  }
}
