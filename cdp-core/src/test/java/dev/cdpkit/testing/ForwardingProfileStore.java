package dev.cdpkit.testing;

import dev.cdpkit.Event;
import dev.cdpkit.Identifier;
import dev.cdpkit.ProfileId;
import dev.cdpkit.store.AccountRecord;
import dev.cdpkit.store.Changes;
import dev.cdpkit.store.EventKey;
import dev.cdpkit.store.ProfileRecord;
import dev.cdpkit.store.ProfileStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A store that passes every call to another, for tests to override one part: counts the full
 * passes over profiles and events (which a {@code Cdp} restored from a snapshot does not make).
 * Thread-safe as the store it wraps.
 */
public class ForwardingProfileStore implements ProfileStore {
  private final ProfileStore store;
  private final AtomicInteger fullPasses = new AtomicInteger();

  /** Passes every call to {@code store}. */
  public ForwardingProfileStore(ProfileStore store) {
    this.store = store;
  }

  /** How many times {@link #forEachProfile} or {@link #forEachEvent} ran. */
  public int fullPasses() {
    return fullPasses.get();
  }

  @Override
  public boolean containsMessage(String messageId) {
    return store.containsMessage(messageId);
  }

  @Override
  public Optional<ProfileId> profileOf(Identifier identifier) {
    return store.profileOf(identifier);
  }

  @Override
  public Optional<ProfileRecord> profile(ProfileId id) {
    return store.profile(id);
  }

  @Override
  public Optional<ProfileId> resolve(ProfileId id) {
    return store.resolve(id);
  }

  @Override
  public List<Event> events(ProfileId id) {
    return store.events(id);
  }

  @Override
  public List<Event> unresolvedEvents() {
    return store.unresolvedEvents();
  }

  @Override
  public Set<ProfileId> profilesWatching(Identifier identifier) {
    return store.profilesWatching(identifier);
  }

  @Override
  public Optional<EventKey> watchedUntil(Identifier identifier) {
    return store.watchedUntil(identifier);
  }

  @Override
  public Set<Identifier> removedIdentifiers() {
    return store.removedIdentifiers();
  }

  @Override
  public Optional<AccountRecord> account(String accountId) {
    return store.account(accountId);
  }

  @Override
  public long profileCount() {
    return store.profileCount();
  }

  @Override
  public void forEachProfile(Consumer<ProfileRecord> action) {
    fullPasses.incrementAndGet();
    store.forEachProfile(action);
  }

  @Override
  public void forEachEvent(BiConsumer<ProfileId, Event> action) {
    fullPasses.incrementAndGet();
    store.forEachEvent(action);
  }

  @Override
  public void commit(Changes changes) {
    store.commit(changes);
  }

  @Override
  public <T> T inTransaction(Supplier<T> work) {
    return store.inTransaction(work);
  }

  @Override
  public Map<String, String> segments() {
    return store.segments();
  }

  @Override
  public void putSegment(String name, String expression) {
    store.putSegment(name, expression);
  }

  @Override
  public int erase(Set<String> messageIds, Set<Identifier> identifiers,
      Set<ProfileId> profiles) {
    return store.erase(messageIds, identifiers, profiles);
  }

  @Override
  public Set<String> suppressions() {
    return store.suppressions();
  }

  @Override
  public void putSuppressions(Set<String> hashes) {
    store.putSuppressions(hashes);
  }

  @Override
  public boolean removeSuppression(String hash) {
    return store.removeSuppression(hash);
  }

  @Override
  public void forEachAudienceMember(String audience,
      BiConsumer<ProfileId, List<String>> action) {
    store.forEachAudienceMember(audience, action);
  }

  @Override
  public Map<ProfileId, List<String>> audienceMembers(String audience,
      Set<ProfileId> profiles) {
    return store.audienceMembers(audience, profiles);
  }

  @Override
  public void updateAudience(String audience, Map<ProfileId, List<String>> added,
      Set<ProfileId> removed) {
    store.updateAudience(audience, added, removed);
  }

  @Override
  public Optional<List<byte[]>> snapshot() {
    return store.snapshot();
  }

  @Override
  public void saveSnapshot(Supplier<List<byte[]>> snapshot) {
    store.saveSnapshot(snapshot);
  }

  @Override
  public void close() {
    store.close();
  }
}
