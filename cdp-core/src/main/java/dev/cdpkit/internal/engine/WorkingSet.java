package dev.cdpkit.internal.engine;

import dev.cdpkit.Event;
import dev.cdpkit.Identifier;
import dev.cdpkit.ProfileId;
import dev.cdpkit.identity.IdentityGraph;
import dev.cdpkit.store.AccountRecord;
import dev.cdpkit.store.Changes;
import dev.cdpkit.store.EventKey;
import dev.cdpkit.store.ProfileRecord;
import dev.cdpkit.store.ProfileStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The store as one message sees it while being applied: reads fall through to the store unless
 * this message changed the thing read; writes are buffered and become one {@link Changes}.
 * Not thread-safe: one per message, on the writing thread.
 */
final class WorkingSet implements IdentityGraph {
  private final ProfileStore store;
  /** Identifier overrides; a null value means the identifier no longer resolves. */
  private final Map<Identifier, ProfileId> identifiers = new HashMap<>();
  /** Profile overrides; a null value means the profile no longer exists. */
  private final Map<ProfileId, ProfileRecord> profiles = new LinkedHashMap<>();
  private final Map<String, AccountRecord> accounts = new HashMap<>(4);
  private final Set<ProfileId> rebuilt = new HashSet<>(4);
  private final List<Changes.Placement> placements = new ArrayList<>(2);
  private final Map<String, ProfileId> placedIn = new HashMap<>(4);
  private final List<Changes.Move> moves = new ArrayList<>(0);
  private final Map<ProfileId, ProfileId> retired = new HashMap<>(4);
  private final List<Event> unresolved = new ArrayList<>(0);
  private final Set<Identifier> removed = new HashSet<>(0);
  private boolean resetUnresolved;
  /** What this message read from the store, so that it reads each thing once. */
  private final Map<Identifier, Optional<ProfileId>> readIdentifiers = new HashMap<>(8);
  private final Map<ProfileId, Optional<ProfileRecord>> readProfiles = new HashMap<>(4);

  WorkingSet(ProfileStore store) {
    this.store = store;
  }

  @Override
  public Optional<ProfileId> profileOf(Identifier identifier) {
    if (identifiers.containsKey(identifier)) {
      return Optional.ofNullable(identifiers.get(identifier));
    }
    return readIdentifiers.computeIfAbsent(identifier, store::profileOf);
  }

  @Override
  public Set<Identifier> identifiers(ProfileId profile) {
    return profile(profile).map(ProfileRecord::identifiers).orElse(Set.of());
  }

  /** The profiles that watched {@code identifier}, as the store has them (before any change). */
  Set<ProfileId> profilesWatching(Identifier identifier) {
    return store.profilesWatching(identifier);
  }

  /** See {@link ProfileStore#watchedUntil}, as the store has it (before any change). */
  Optional<EventKey> watchedUntil(Identifier identifier) {
    return store.watchedUntil(identifier);
  }

  Optional<ProfileRecord> profile(ProfileId id) {
    if (profiles.containsKey(id)) {
      return Optional.ofNullable(profiles.get(id));
    }
    return readProfiles.computeIfAbsent(id, store::profile);
  }

  Optional<AccountRecord> account(String id) {
    AccountRecord a = accounts.get(id);
    return a != null ? Optional.of(a) : store.account(id);
  }

  void put(ProfileRecord record) {
    profiles.put(record.id(), record);
    retired.remove(record.id());
  }

  void putAccount(AccountRecord record) {
    accounts.put(record.id(), record);
  }

  void link(Identifier identifier, ProfileId profile) {
    identifiers.put(identifier, profile);
  }

  /** {@code from} merged into {@code to}: its events move along, its id resolves to {@code to}. */
  void merge(ProfileId from, ProfileId to) {
    profiles.put(from, null);
    retired.put(from, to);
    moves.add(new Changes.Move(from, to));
  }

  /** Drops a profile's derived state, to derive it again from its events. */
  void rebuild(ProfileRecord record) {
    rebuilt.add(record.id());
    profiles.put(record.id(), null);
    for (Identifier i : record.identifiers()) {
      identifiers.put(i, null);
    }
  }

  /** A rebuilt profile that was not derived again: its id now resolves to {@code to}. */
  void redirect(ProfileId from, ProfileId to) {
    if (!from.equals(to)) {
      retired.put(from, to);
    }
  }

  /** The event belongs to no profile: every identifier it carries is blocked or removed. */
  void placeUnresolved(Event event) {
    unresolved.add(event);
    placedIn.put(event.messageId(), null);
  }

  /** The unresolved events are re-derived in this change. */
  void resetUnresolved() {
    resetUnresolved = true;
  }

  /** Remembers an identifier as removed, for good. */
  void remove(Identifier identifier) {
    removed.add(identifier);
  }

  void place(Event event, ProfileId profile) {
    placements.add(new Changes.Placement(event, profile));
    placedIn.put(event.messageId(), profile);
  }

  /** The live profile that holds a message placed by this working set. */
  Optional<ProfileId> holderOf(String messageId) {
    ProfileId p = placedIn.get(messageId);
    while (p != null && profiles.get(p) == null) {
      p = retired.get(p);
    }
    return Optional.ofNullable(p);
  }

  Changes changes() {
    Map<ProfileId, ProfileRecord> put = new HashMap<>();
    profiles.forEach((id, r) -> {
      if (r != null) {
        put.put(id, r);
      }
    });
    Set<Identifier> unlinked = new HashSet<>();
    Map<Identifier, ProfileId> linked = new HashMap<>();
    identifiers.forEach((i, p) -> {
      if (p == null) {
        unlinked.add(i);
      } else {
        linked.put(i, p);
      }
    });
    return new Changes(Set.copyOf(rebuilt), List.copyOf(placements), List.copyOf(moves),
        Map.copyOf(retired), Map.copyOf(put), Set.copyOf(unlinked), Map.copyOf(linked),
        Map.copyOf(accounts), resetUnresolved, List.copyOf(unresolved), Set.copyOf(removed));
  }
}
