package dev.cdpkit.store;

import dev.cdpkit.Event;
import dev.cdpkit.Identifier;
import dev.cdpkit.ProfileId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Where cdpkit keeps the message log and what it derives from it: profiles with traits and
 * provenance, identifier links, accounts and consents. Pass an implementation to
 * {@code Cdp.builder().store(...)}; the default is {@link InMemoryProfileStore}.
 *
 * <p>The {@link dev.cdpkit.Cdp} calls {@link #commit} (inside {@link #inTransaction}) and
 * {@link #putSegment} from one thread at a time and the read
 * methods from any thread, concurrently with a commit. Implementations must be thread-safe, and a
 * reader must see either all or none of a commit.
 */
public interface ProfileStore extends AutoCloseable {

  /** Whether a message with this id was ever accepted. */
  boolean containsMessage(String messageId);

  /** The live profile an identifier resolves to. */
  Optional<ProfileId> profileOf(Identifier identifier);

  /** The record of a live profile; empty for unknown and retired ids. */
  Optional<ProfileRecord> profile(ProfileId id);

  /**
   * The live profile an id stands for: itself when live, the profile it was merged into when
   * retired (following every later merge), empty when unknown.
   */
  Optional<ProfileId> resolve(ProfileId id);

  /** The events of a live profile, in any order. */
  List<Event> events(ProfileId id);

  /** The events that belong to no profile (all their identifiers blocked or removed). */
  List<Event> unresolvedEvents();

  /**
   * The live profiles whose messages consulted this identifier without linking it (it was over a
   * limit then, or an alias looked it up and did not find it): those whose
   * {@link ProfileRecord#watched()} holds it.
   */
  Set<ProfileId> profilesWatching(Identifier identifier);

  /**
   * A key no later than which every message of every profile in {@link #profilesWatching} is: a
   * bound that may be later than needed (it never has to move back), empty when no profile
   * rejected the identifier. Lets a new message tell cheaply whether it is late for them.
   */
  Optional<EventKey> watchedUntil(Identifier identifier);

  /** Every identifier removed with {@code Cdp.removeIdentifier}. */
  Set<Identifier> removedIdentifiers();

  /** An account by id. */
  Optional<AccountRecord> account(String accountId);

  /** The number of live profiles. */
  long profileCount();

  /** Calls {@code action} for every live profile, in no particular order. */
  void forEachProfile(Consumer<ProfileRecord> action);

  /**
   * Calls {@code action} for every event of every live profile, with the profile, in no
   * particular order: what a {@code Cdp} reads once when it opens on a store that holds data.
   * The default reads each profile's events with {@link #events}; a store for which that is one
   * query per profile should read them in one pass.
   */
  default void forEachEvent(BiConsumer<ProfileId, Event> action) {
    forEachProfile(r -> events(r.id()).forEach(e -> action.accept(r.id(), e)));
  }

  /** Applies one message's changes atomically, in the order {@link Changes} describes. */
  void commit(Changes changes);

  /**
   * Runs {@code work} (the reads and commits of one message, or of one batch) as one transaction:
   * after a failure nothing of it is visible, and a store that several processes share lets one
   * such transaction run at a time, so each reads what the others committed. The default runs
   * it as it is, each commit atomic on its own.
   *
   * @return what {@code work} returns
   */
  default <T> T inTransaction(Supplier<T> work) {
    return work.get();
  }

  /** The segment definitions, name to expression text, in the order they were last defined. */
  Map<String, String> segments();

  /** Keeps a segment definition, replacing any of the same name (it then counts as the latest). */
  void putSegment(String name, String expression);

  /**
   * Deletes for good what forgetting a person needs gone beyond what re-deriving their profile
   * drops: these messages (from the log, and from the ids that deduplicate messages), every row
   * that names one of these identifiers (links, watches, removal records) and the redirects to
   * and from these profile ids. The {@code Cdp} calls it inside {@link #inTransaction}, then
   * commits the re-derivation.
   *
   * @return how many messages it deleted
   */
  int erase(Set<String> messageIds, Set<Identifier> identifiers, Set<ProfileId> profiles);

  /** The suppression records: hashes of forgotten identifiers (see {@code Cdp.forget}). */
  Set<String> suppressions();

  /** Adds suppression records. */
  void putSuppressions(Set<String> hashes);

  /** Removes a suppression record; returns whether there was one. */
  boolean removeSuppression(String hash);

  /**
   * Calls {@code action} with every profile last synced to the audience and what it was sent
   * (opaque strings: the identifiers a destination needs to remove it again).
   */
  void forEachAudienceMember(String audience, BiConsumer<ProfileId, List<String>> action);

  /** What these profiles were last sent in the audience (those that were synced). */
  Map<ProfileId, List<String>> audienceMembers(String audience, Set<ProfileId> profiles);

  /**
   * Records a successful sync: {@code added} are now synced with what they were sent,
   * {@code removed} no longer are.
   */
  void updateAudience(String audience, Map<ProfileId, List<String>> added,
      Set<ProfileId> removed);

  /**
   * The index snapshot last kept with {@link #saveSnapshot}, when nothing was committed since;
   * empty otherwise. A {@code Cdp} opening on the store restores its indexes from it instead of
   * reading every profile and event. The default keeps none (a store that does not outlive the
   * process gains nothing from one).
   */
  default Optional<List<byte[]>> snapshot() {
    return Optional.empty();
  }

  /**
   * Keeps the snapshot that {@code snapshot} makes (opaque parts written by a closing
   * {@code Cdp}, describing its indexes over what the store holds now), replacing any earlier
   * one. A store that several processes share keeps it only when every commit since this store
   * object was created was its own: otherwise the snapshot would miss the others' writes. Any
   * later commit makes it stale, and a store removes a stale snapshot by its next commit at the
   * latest: a snapshot holds profiles' traits, and must not outlive their deletion. The default
   * keeps nothing and does not call {@code snapshot}.
   */
  default void saveSnapshot(Supplier<List<byte[]>> snapshot) {}

  /** Releases what the store holds; the default does nothing. */
  @Override
  default void close() {}
}
