package dev.cdpkit.store;

import static java.util.Objects.requireNonNull;

import dev.cdpkit.Identifier;
import dev.cdpkit.Profile;
import dev.cdpkit.ProfileId;
import dev.cdpkit.TraitValue;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The derived state of one profile as a store keeps it: identifiers, traits with provenance,
 * account memberships and consents, and the first and last message that shaped it.
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
 */
public record ProfileRecord(ProfileId id, EventKey created, EventKey latest,
    Set<Identifier> identifiers, Map<String, TraitValue> traits, Set<String> accountIds,
    Map<String, TraitValue> consents) {

  /** Copies the collections into immutable ones. */
  public ProfileRecord {
    requireNonNull(id, "id");
    requireNonNull(created, "created");
    requireNonNull(latest, "latest");
    identifiers = Set.copyOf(identifiers);
    traits = copy(traits);
    accountIds = Set.copyOf(accountIds);
    consents = copy(consents);
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
