package dev.cdpkit.store;

import static java.util.Objects.requireNonNull;

import dev.cdpkit.Event;
import dev.cdpkit.Identifier;
import dev.cdpkit.ProfileId;
import dev.cdpkit.internal.EventCodec;
import dev.cdpkit.internal.MessageIdSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The default store: everything in memory, gone when the JVM exits. The store consuming services
 * use in their unit tests. The message log is kept as one compact byte array per event, which
 * costs a decode when a profile's events are replayed and saves most of the memory (and garbage
 * collection) a graph of maps per event would take.
 *
 * <p>Thread-safe: reads share a lock that a commit holds exclusively for the short time it takes to
 * apply its changes, so a reader sees a commit whole or not at all.
 */
public final class InMemoryProfileStore implements ProfileStore {
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final MessageIdSet messageIds = new MessageIdSet();
  private final Map<ProfileId, List<byte[]>> events = new HashMap<>();
  private final Map<ProfileId, ProfileRecord> profiles = new HashMap<>();
  private final Map<ProfileId, ProfileId> redirects = new HashMap<>();
  private final Map<Identifier, ProfileId> identifiers = new HashMap<>();
  private final Map<String, AccountRecord> accounts = new HashMap<>();
  private final List<byte[]> unresolved = new ArrayList<>();
  private final Map<Identifier, Set<ProfileId>> rejecting = new HashMap<>();
  private final Map<Identifier, EventKey> watchedUntil = new HashMap<>();
  private final Set<Identifier> removed = new HashSet<>();
  private final Map<String, String> segments = new LinkedHashMap<>();
  private final Set<String> suppressions = new HashSet<>();
  private final Map<String, Map<ProfileId, List<String>>> audiences = new HashMap<>();

  /** Creates an empty store. */
  public InMemoryProfileStore() {}

  private <T> T read(Supplier<T> query) {
    lock.readLock().lock();
    try {
      return query.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public boolean containsMessage(String messageId) {
    return read(() -> messageIds.contains(messageId));
  }

  @Override
  public Optional<ProfileId> profileOf(Identifier identifier) {
    return read(() -> Optional.ofNullable(identifiers.get(identifier)));
  }

  @Override
  public Optional<ProfileRecord> profile(ProfileId id) {
    return read(() -> Optional.ofNullable(profiles.get(id)));
  }

  @Override
  public Optional<ProfileId> resolve(ProfileId id) {
    return read(() -> {
      ProfileId current = id;
      for (int hops = 0; hops <= redirects.size(); hops++) {
        if (profiles.containsKey(current)) {
          return Optional.of(current);
        }
        current = redirects.get(current);
        if (current == null) {
          return Optional.empty();
        }
      }
      throw new IllegalStateException("profile id redirects form a cycle at " + id);
    });
  }

  @Override
  public List<Event> events(ProfileId id) {
    return decode(read(() -> {
      List<byte[]> list = events.get(id);
      return list == null ? List.<byte[]>of() : new ArrayList<>(list);
    }));
  }

  private static List<Event> decode(List<byte[]> encoded) {
    List<Event> out = new ArrayList<>(encoded.size());
    for (byte[] e : encoded) {
      out.add(EventCodec.decode(e));
    }
    return out;
  }

  @Override
  public List<Event> unresolvedEvents() {
    return decode(read(() -> new ArrayList<>(unresolved)));
  }

  @Override
  public Set<ProfileId> profilesWatching(Identifier identifier) {
    return read(() -> {
      Set<ProfileId> s = rejecting.get(identifier);
      return s == null ? Set.<ProfileId>of() : Set.copyOf(s);
    });
  }

  @Override
  public Optional<EventKey> watchedUntil(Identifier identifier) {
    return read(() -> Optional.ofNullable(watchedUntil.get(identifier)));
  }

  @Override
  public Set<Identifier> removedIdentifiers() {
    return read(() -> Set.copyOf(removed));
  }

  @Override
  public Optional<AccountRecord> account(String accountId) {
    return read(() -> Optional.ofNullable(accounts.get(accountId)));
  }

  @Override
  public long profileCount() {
    return read(() -> profiles.size());
  }

  @Override
  public void forEachProfile(Consumer<ProfileRecord> action) {
    read(() -> new ArrayList<>(profiles.values())).forEach(action);
  }

  @Override
  public Map<String, String> segments() {
    return read(() -> Collections.unmodifiableMap(new LinkedHashMap<>(segments)));
  }

  @Override
  public void putSegment(String name, String expression) {
    requireNonNull(name, "name");
    requireNonNull(expression, "expression");
    lock.writeLock().lock();
    try {
      segments.remove(name);
      segments.put(name, expression);
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public void commit(Changes changes) {
    requireNonNull(changes, "changes");
    lock.writeLock().lock();
    try {
      for (ProfileId id : changes.rebuilt()) {
        unindex(profiles.remove(id));
        events.remove(id);
      }
      if (changes.resetUnresolved()) {
        unresolved.clear();
      }
      for (Event e : changes.unresolved()) {
        messageIds.add(e.messageId());
        unresolved.add(EventCodec.encode(e));
      }
      for (Changes.Placement p : changes.placements()) {
        messageIds.add(p.event().messageId());
        events.computeIfAbsent(p.profile(), k -> new ArrayList<>(4))
            .add(EventCodec.encode(p.event()));
      }
      for (Changes.Move m : changes.moves()) {
        List<byte[]> moved = events.remove(m.from());
        if (moved != null) {
          events.computeIfAbsent(m.to(), k -> new ArrayList<>()).addAll(moved);
        }
      }
      changes.retired().forEach((from, to) -> {
        unindex(profiles.remove(from));
        redirects.put(from, to);
      });
      changes.profiles().forEach((id, record) -> {
        unindex(profiles.put(id, record));
        for (Identifier i : record.watched()) {
          rejecting.computeIfAbsent(i, k -> new HashSet<>(2)).add(id);
          watchedUntil.merge(i, record.latest(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
        }
        redirects.remove(id);
      });
      changes.removedIdentifiers().forEach(identifiers::remove);
      identifiers.putAll(changes.identifiers());
      accounts.putAll(changes.accounts());
      removed.addAll(changes.removed());
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public int erase(Set<String> messageIds, Set<Identifier> identifiers,
      Set<ProfileId> profiles) {
    lock.writeLock().lock();
    try {
      int erased = 0;
      for (String id : messageIds) {
        if (this.messageIds.remove(id)) {
          erased++;
        }
      }
      for (ProfileId p : profiles) {
        events.remove(p);
      }
      unresolved.removeIf(e -> messageIds.contains(EventCodec.decode(e).messageId()));
      for (Identifier i : identifiers) {
        this.identifiers.remove(i);
        rejecting.remove(i);
        watchedUntil.remove(i);
        removed.remove(i);
      }
      redirects.entrySet().removeIf(e -> profiles.contains(e.getKey())
          || profiles.contains(e.getValue()));
      return erased;
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public Set<String> suppressions() {
    return read(() -> Set.copyOf(suppressions));
  }

  @Override
  public void putSuppressions(Set<String> hashes) {
    lock.writeLock().lock();
    try {
      suppressions.addAll(hashes);
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public boolean removeSuppression(String hash) {
    lock.writeLock().lock();
    try {
      return suppressions.remove(hash);
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public void forEachAudienceMember(String audience,
      BiConsumer<ProfileId, List<String>> action) {
    read(() -> new ArrayList<>(audiences.getOrDefault(audience, Map.of()).entrySet()))
        .forEach(e -> action.accept(e.getKey(), e.getValue()));
  }

  @Override
  public Map<ProfileId, List<String>> audienceMembers(String audience,
      Set<ProfileId> profiles) {
    return read(() -> {
      Map<ProfileId, List<String>> all = audiences.getOrDefault(audience, Map.of());
      Map<ProfileId, List<String>> out = new HashMap<>();
      for (ProfileId p : profiles) {
        List<String> sent = all.get(p);
        if (sent != null) {
          out.put(p, sent);
        }
      }
      return out;
    });
  }

  @Override
  public void updateAudience(String audience, Map<ProfileId, List<String>> added,
      Set<ProfileId> removed) {
    lock.writeLock().lock();
    try {
      Map<ProfileId, List<String>> members = audiences.computeIfAbsent(audience,
          k -> new HashMap<>());
      removed.forEach(members::remove);
      added.forEach((p, sent) -> members.put(p, List.copyOf(sent)));
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void unindex(ProfileRecord old) {
    if (old == null) {
      return;
    }
    for (Identifier i : old.watched()) {
      Set<ProfileId> s = rejecting.get(i);
      if (s != null && s.remove(old.id()) && s.isEmpty()) {
        rejecting.remove(i);
      }
    }
  }
}
