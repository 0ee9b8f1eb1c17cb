package dev.cdpkit.store;

import static java.util.Objects.requireNonNull;

import dev.cdpkit.Event;
import dev.cdpkit.Identifier;
import dev.cdpkit.ProfileId;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything one message changed, for a store to apply atomically in {@link ProfileStore#commit}.
 * A store applies the parts in the order of the components here:
 *
 * <ol>
 *   <li>{@code rebuilt}: these profiles are being re-derived; drop their records and let go of
 *       their events (the events stay in the log and are all placed again below); with
 *       {@code resetUnresolved}, let go of the unresolved events too;
 *   <li>{@code unresolved}: store these events as belonging to no profile (every identifier they
 *       carry is blocked or removed);
 *   <li>{@code placements}: store each event (new ones are appended to the log) as belonging to the
 *       given profile;
 *   <li>{@code moves}: in list order, every event of {@code from} now belongs to {@code to};
 *   <li>{@code retired}: these profiles no longer exist; each id now resolves to the given one;
 *   <li>{@code profiles}: put these records (an id put here is live again, not retired);
 *   <li>{@code removedIdentifiers}, then {@code identifiers}: identifier to profile links;
 *   <li>{@code accounts}: put these account records;
 *   <li>{@code removed}: remember these identifiers as removed, for good.
 * </ol>
 *
 * <p>Immutable and thread-safe.
 *
 * @param rebuilt profiles whose derived state is replaced
 * @param placements events and the profile each belongs to
 * @param moves bulk moves of events between profiles, in order
 * @param retired merged-away profiles and the profile each now resolves to
 * @param profiles the new records of changed profiles
 * @param removedIdentifiers identifiers that no longer resolve to any profile
 * @param identifiers identifiers and the profile each resolves to
 * @param accounts the new records of changed accounts
 * @param resetUnresolved whether the unresolved events are re-derived too
 * @param unresolved events that belong to no profile
 * @param removed identifiers removed with {@code Cdp.removeIdentifier}
 */
public record Changes(Set<ProfileId> rebuilt, List<Placement> placements, List<Move> moves,
    Map<ProfileId, ProfileId> retired, Map<ProfileId, ProfileRecord> profiles,
    Set<Identifier> removedIdentifiers, Map<Identifier, ProfileId> identifiers,
    Map<String, AccountRecord> accounts, boolean resetUnresolved, List<Event> unresolved,
    Set<Identifier> removed) {

  /** Copies every part. */
  public Changes {
    rebuilt = Set.copyOf(rebuilt);
    placements = List.copyOf(placements);
    moves = List.copyOf(moves);
    retired = Map.copyOf(retired);
    profiles = Map.copyOf(profiles);
    removedIdentifiers = Set.copyOf(removedIdentifiers);
    identifiers = Map.copyOf(identifiers);
    accounts = Map.copyOf(accounts);
    unresolved = List.copyOf(unresolved);
    removed = Set.copyOf(removed);
  }

  /**
   * An event and the profile it belongs to.
   *
   * @param event the stamped event
   * @param profile its profile
   */
  public record Placement(Event event, ProfileId profile) {
    /** Checks both are present and the event is stamped. */
    public Placement {
      requireNonNull(event, "event");
      requireNonNull(profile, "profile");
      if (event.timestamp().isEmpty()) {
        throw new IllegalArgumentException("event " + event.messageId() + " has no timestamp");
      }
    }
  }

  /**
   * Every event of {@code from} now belongs to {@code to}.
   *
   * @param from the merged-away profile
   * @param to the surviving profile
   */
  public record Move(ProfileId from, ProfileId to) {
    /** Checks both are present. */
    public Move {
      requireNonNull(from, "from");
      requireNonNull(to, "to");
    }
  }
}
