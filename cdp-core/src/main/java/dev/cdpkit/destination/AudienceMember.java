package dev.cdpkit.destination;

import static java.util.Objects.requireNonNull;

import dev.cdpkit.ProfileId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A profile as a destination receives it: its id and the identifiers the audience sends, by
 * type; a hashed type's key ends in {@code _sha256} ({@code "email_sha256"}) and its values
 * are lower-case hex SHA-256 digests of the normalized identifiers (see {@link PiiHash}).
 * Immutable and thread-safe.
 *
 * @param profileId the profile
 * @param identifiers identifier values by type, in the order the audience names the types
 */
public record AudienceMember(ProfileId profileId, Map<String, List<String>> identifiers) {
  /** Checks and copies the parts. */
  public AudienceMember {
    requireNonNull(profileId, "profileId");
    Map<String, List<String>> copy = new LinkedHashMap<>();
    identifiers.forEach((type, values) -> copy.put(type, List.copyOf(values)));
    identifiers = java.util.Collections.unmodifiableMap(copy);
  }

  /** The first value of a type, or null. */
  public String first(String type) {
    List<String> values = identifiers.get(type);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** Every value, as {@code type=value} strings (what the store keeps of a synced profile). */
  public List<String> flatten() {
    List<String> out = new ArrayList<>();
    identifiers.forEach((type, values) -> values.forEach(v -> out.add(type + "=" + v)));
    return out;
  }

  /** The member {@link #flatten} describes. */
  public static AudienceMember unflatten(ProfileId profileId, List<String> flat) {
    Map<String, List<String>> ids = new LinkedHashMap<>();
    for (String s : flat) {
      int eq = s.indexOf('=');
      ids.computeIfAbsent(s.substring(0, eq), k -> new ArrayList<>()).add(s.substring(eq + 1));
    }
    return new AudienceMember(profileId, ids);
  }
}
