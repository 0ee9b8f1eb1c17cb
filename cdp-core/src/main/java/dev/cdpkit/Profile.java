package dev.cdpkit;

import static java.util.Objects.requireNonNull;

import dev.cdpkit.internal.Values;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A snapshot of one unified profile: the person behind every identifier that resolved to it, with
 * their traits, accounts and consents.
 *
 * <p>Immutable and thread-safe: later messages do not change a snapshot; ask the {@link Cdp} again.
 */
public final class Profile {
  private final ProfileId id;
  private final Set<Identifier> identifiers;
  private final Map<String, TraitValue> provenance;
  private final Map<String, Object> traits;
  private final Set<String> accountIds;
  private final Map<String, Boolean> consents;
  private final Instant firstSeen;
  private final Instant lastSeen;

  /**
   * Creates a snapshot. Stores build these; applications get them from {@link Cdp}.
   *
   * @param traits every trait with its provenance; unset traits ({@code null} values) are left out
   *     of {@link #traits()}
   */
  public Profile(ProfileId id, Set<Identifier> identifiers, Map<String, TraitValue> traits,
      Set<String> accountIds, Map<String, Boolean> consents, Instant firstSeen,
      Instant lastSeen) {
    this.id = requireNonNull(id, "id");
    this.identifiers = Collections.unmodifiableSet(new TreeSet<>(identifiers));
    Map<String, TraitValue> p = new LinkedHashMap<>();
    Map<String, Object> t = new LinkedHashMap<>();
    traits.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      if (e.getValue().value() != null) {
        p.put(e.getKey(), e.getValue());
        t.put(e.getKey(), e.getValue().value());
      }
    });
    this.provenance = Collections.unmodifiableMap(p);
    this.traits = Collections.unmodifiableMap(t);
    this.accountIds = Collections.unmodifiableSet(new TreeSet<>(accountIds));
    this.consents = Collections.unmodifiableMap(new java.util.TreeMap<>(consents));
    this.firstSeen = requireNonNull(firstSeen, "firstSeen");
    this.lastSeen = requireNonNull(lastSeen, "lastSeen");
  }

  /** The profile's stable id. */
  public ProfileId id() {
    return id;
  }

  /** Every identifier that resolves to this profile, sorted by type and value. */
  public Set<Identifier> identifiers() {
    return identifiers;
  }

  /** The identifiers of one type, such as every {@code email}. */
  public Set<String> identifiers(String type) {
    Set<String> out = new TreeSet<>();
    for (Identifier i : identifiers) {
      if (i.type().equals(type)) {
        out.add(i.value());
      }
    }
    return Collections.unmodifiableSet(out);
  }

  /**
   * The traits, sorted by name: String, Long, Double, Boolean, List or Map values (never null).
   */
  public Map<String, Object> traits() {
    return traits;
  }

  /** The trait at a dotted path such as {@code plan} or {@code address.city}. */
  public Optional<Object> trait(String path) {
    return Values.path(traits, requireNonNull(path, "path"));
  }

  /** Where a top-level trait's current value came from: message, time and source. */
  public Optional<TraitValue> provenance(String trait) {
    return Optional.ofNullable(provenance.get(requireNonNull(trait, "trait")));
  }

  /** The ids of the accounts (B2B groups) the person belongs to, sorted. */
  public Set<String> accountIds() {
    return accountIds;
  }

  /** Consent per purpose, such as {@code marketing -> true}; the latest message wins. */
  public Map<String, Boolean> consents() {
    return consents;
  }

  /** The time of the earliest message of this person. */
  public Instant firstSeen() {
    return firstSeen;
  }

  /** The time of the latest message of this person. */
  public Instant lastSeen() {
    return lastSeen;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Profile)) {
      return false;
    }
    Profile p = (Profile) o;
    return id.equals(p.id) && identifiers.equals(p.identifiers) && provenance.equals(p.provenance)
        && accountIds.equals(p.accountIds) && consents.equals(p.consents)
        && firstSeen.equals(p.firstSeen) && lastSeen.equals(p.lastSeen);
  }

  @Override
  public int hashCode() {
    return id.hashCode() * 31 + identifiers.hashCode();
  }

  @Override
  public String toString() {
    return "Profile{" + id + ", identifiers=" + identifiers + ", traits=" + traits
        + (accountIds.isEmpty() ? "" : ", accounts=" + accountIds)
        + (consents.isEmpty() ? "" : ", consents=" + consents)
        + ", firstSeen=" + firstSeen + ", lastSeen=" + lastSeen + "}";
  }
}
