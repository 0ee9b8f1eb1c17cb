package dev.cdpkit.store;

import static java.util.Objects.requireNonNull;

import dev.cdpkit.Identifier;
import dev.cdpkit.Profile;
import dev.cdpkit.ProfileId;
import dev.cdpkit.TraitValue;
import dev.cdpkit.identity.IdentityLink;
import dev.cdpkit.identity.Rejection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The derived state of one profile as a store keeps it: identifiers, traits with provenance,
 * account memberships and consents, the first and last message that shaped it, and its merge log:
 * the messages that linked identifiers or merged profiles, and the identifiers left out.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id the profile id
 * @param created the key of the profile's earliest message
 * @param latest the key of the profile's latest message
 * @param identifiers every identifier that resolves to the profile
 * @param traits per trait, the winning value and its provenance (a {@code null} value: unset)
 * @param accountIds the accounts the person belongs to
 * @param consents per purpose, the winning consent ({@code Boolean} values) and its provenance
 * @param links the merge log, in {@code (timestamp, messageId)} order
 * @param rejections identifiers the profile's messages carried that were not linked, by
 *     identifier
 * @param lookups user ids that an alias's {@code previousId} was looked up as and not found: a
 *     later link of one of them changes how that alias resolves
 */
public record ProfileRecord(ProfileId id, EventKey created, EventKey latest,
    Set<Identifier> identifiers, Map<String, TraitValue> traits, Set<String> accountIds,
    Map<String, TraitValue> consents, List<IdentityLink> links,
    Map<Identifier, Rejection> rejections, Set<Identifier> lookups) {

  /** Copies the collections into immutable ones. */
  public ProfileRecord {
    requireNonNull(id, "id");
    requireNonNull(created, "created");
    requireNonNull(latest, "latest");
    identifiers = Set.copyOf(identifiers);
    traits = copy(traits);
    accountIds = Set.copyOf(accountIds);
    consents = copy(consents);
    links = List.copyOf(links);
    rejections = Map.copyOf(rejections);
    lookups = Set.copyOf(lookups);
  }

  /**
   * The identifiers whose state this profile's messages consulted without linking them: the
   * rejected ones (but blocked values, which no state changes) and the lookups. A store indexes
   * these for {@link ProfileStore#profilesWatching}.
   */
  public Set<Identifier> watched() {
    if (lookups.isEmpty() && rejections.isEmpty()) {
      return Set.of();
    }
    Set<Identifier> all = new HashSet<>(lookups);
    rejections.forEach((i, r) -> {
      if (!r.blocked()) {
        all.add(i);
      }
    });
    return all;
  }

  private static Map<String, TraitValue> copy(Map<String, TraitValue> m) {
    return m.isEmpty() ? Map.of() : Map.copyOf(m);
  }

  /** The public snapshot of this record. */
  public Profile toProfile() {
    Map<String, Boolean> c = new HashMap<>();
    consents.forEach((k, v) -> {
      if (v.value() instanceof Boolean) {
        c.put(k, (Boolean) v.value());
      }
    });
    return new Profile(id, identifiers, traits, accountIds, c, created.timestamp(),
        latest.timestamp());
  }
}
