package dev.cdpkit.identity;

import static java.util.Objects.requireNonNull;

import dev.cdpkit.Identifier;
import dev.cdpkit.ProfileId;
import java.util.List;
import java.util.Set;

/**
 * An {@link IdentityResolver}'s decision for one message.
 *
 * <p>The message belongs to the union of {@code profiles}: with none, it starts a new profile; with
 * one, it joins it; with several, they merge into one (the one created by the earliest message
 * survives and keeps its id). The {@code linked} identifiers then resolve to that profile;
 * {@code rejected} ones are left out, with a reason.
 *
 * <p>Immutable and thread-safe.
 *
 * @param profiles existing profiles that become one profile with the message
 * @param linked the message's identifiers that resolve to that profile from now on
 * @param rejected the message's identifiers left out, with reasons
 */
public record Resolution(Set<ProfileId> profiles, Set<Identifier> linked,
    List<RejectedIdentifier> rejected) {

  /** Copies every part. */
  public Resolution {
    profiles = Set.copyOf(requireNonNull(profiles, "profiles"));
    linked = Set.copyOf(requireNonNull(linked, "linked"));
    rejected = List.copyOf(requireNonNull(rejected, "rejected"));
  }
}
