package dev.cdpkit.identity;

import dev.cdpkit.Identifier;
import dev.cdpkit.ProfileId;
import java.util.Optional;
import java.util.Set;

/**
 * A read view of the identity graph as it stands just before a message is applied, for an
 * {@link IdentityResolver}.
 *
 * <p>Valid only during the {@link IdentityResolver#resolve} call it is passed to; not thread-safe.
 */
public interface IdentityGraph {

  /** The profile an identifier resolves to now. */
  Optional<ProfileId> profileOf(Identifier identifier);

  /** Every identifier of a profile now; empty for an unknown profile. */
  Set<Identifier> identifiers(ProfileId profile);
}
