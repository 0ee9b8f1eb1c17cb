package dev.cdpkit.internal.engine;

import dev.cdpkit.Event;
import dev.cdpkit.EventType;
import dev.cdpkit.Identifier;
import dev.cdpkit.ProfileId;
import dev.cdpkit.TraitValue;
import dev.cdpkit.identity.IdentityResolver;
import dev.cdpkit.identity.RejectedIdentifier;
import dev.cdpkit.identity.Resolution;
import dev.cdpkit.store.AccountRecord;
import dev.cdpkit.store.EventKey;
import dev.cdpkit.store.ProfileRecord;
import dev.cdpkit.store.ProfileStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Applies messages to a store so that the result is the same as applying every message in
 * {@code (timestamp, messageId)} order.
 *
 * <p>A message later than everything its profiles have seen is folded in directly (the fast
 * path), and so is a late one that adds nothing to the identity graph. Any other late one
 * re-derives the part of the graph it touches: the profiles its identifiers
 * resolve to, closed over the profiles that their messages' identifiers resolve to, are dropped and
 * their messages, with the new one, folded again in order.
 *
 * <p>Not thread-safe: the caller serializes {@link #apply} calls.
 */
public final class Ingestor {
  private static final Comparator<Event> ORDER = Comparator.comparing(EventKey::of);

  private final ProfileStore store;
  private final IdentityResolver resolver;

  /** Creates an ingestor writing to {@code store} with {@code resolver}. */
  public Ingestor(ProfileStore store, IdentityResolver resolver) {
    this.store = store;
    this.resolver = resolver;
  }

  /**
   * What applying one message did.
   *
   * @param duplicate the message id was seen before, nothing was applied
   * @param profile the profile the message belongs to (null for a duplicate)
   * @param merged profiles the message merged into {@code profile}
   * @param rejected identifiers the resolver left out
   */
  public record Outcome(boolean duplicate, ProfileId profile, List<ProfileId> merged,
      List<RejectedIdentifier> rejected) {
    static final Outcome DUPLICATE = new Outcome(true, null, List.of(), List.of());
  }

  /** The id of the profile that {@code messageId} creates: a name-based UUID. */
  static ProfileId profileIdFor(String messageId) {
    return ProfileId.of(UUID.nameUUIDFromBytes(
        ("cdpkit/profile/" + messageId).getBytes(StandardCharsets.UTF_8)).toString());
  }

  /** Applies one stamped event and commits what it changed. */
  public Outcome apply(Event event) {
    if (store.containsMessage(event.messageId())) {
      return Outcome.DUPLICATE;
    }
    WorkingSet ws = new WorkingSet(store);
    EventKey key = EventKey.of(event);
    Set<ProfileId> scope = new LinkedHashSet<>();
    touched(ws, event, scope);
    boolean late = false;
    for (ProfileId p : scope) {
      if (ws.profile(p).orElseThrow().latest().compareTo(key) >= 0) {
        late = true;
        break;
      }
    }
    Outcome outcome = late && !addsNothingToTheGraph(ws, event, scope, key)
        ? replay(ws, event, scope) : fold(ws, event);
    store.commit(ws.changes());
    return outcome;
  }

  /**
   * Whether a late message can be folded in as it is: it is no alias, every identifier it carries
   * already resolves to the one profile it touches, and that profile began before it. Such a
   * message links and merges nothing, whenever it comes; what it does add (traits, consents and
   * account traits by latest-wins, membership, first and last seen) does not depend on order.
   */
  private static boolean addsNothingToTheGraph(WorkingSet ws, Event event, Set<ProfileId> scope,
      EventKey key) {
    if (event.type() == EventType.ALIAS || scope.size() != 1) {
      return false;
    }
    ProfileId only = scope.iterator().next();
    for (Identifier i : event.identifiers()) {
      if (!ws.profileOf(i).map(only::equals).orElse(false)) {
        return false;
      }
    }
    return ws.profile(only).orElseThrow().created().compareTo(key) < 0;
  }

  /**
   * Adds the profiles whose state can change how {@code event} is resolved: those of its
   * identifiers; for an alias, those its previousId can be looked up as; and for a user id, the
   * profile holding the same value as an anonymous id (an earlier alias may have taken it for one).
   */
  private static void touched(WorkingSet ws, Event event, Set<ProfileId> into) {
    for (Identifier i : event.identifiers()) {
      ws.profileOf(i).ifPresent(into::add);
      if (i.type().equals(Identifier.USER_ID)) {
        ws.profileOf(new Identifier(Identifier.ANONYMOUS_ID, i.value())).ifPresent(into::add);
      }
    }
    event.previousId().ifPresent(prev -> {
      ws.profileOf(Identifier.of(Identifier.USER_ID, prev)).ifPresent(into::add);
      ws.profileOf(Identifier.of(Identifier.ANONYMOUS_ID, prev)).ifPresent(into::add);
    });
  }

  private Outcome replay(WorkingSet ws, Event event, Set<ProfileId> scope) {
    Map<ProfileId, ProfileRecord> members = new LinkedHashMap<>();
    Map<String, Event> messages = new HashMap<>();
    Deque<ProfileId> todo = new ArrayDeque<>(scope);
    while (!todo.isEmpty()) {
      ProfileId p = todo.pop();
      if (members.containsKey(p)) {
        continue;
      }
      members.put(p, ws.profile(p).orElseThrow());
      Set<ProfileId> more = new HashSet<>();
      for (Event e : store.events(p)) {
        messages.put(e.messageId(), e);
        touched(ws, e, more);
      }
      more.removeAll(members.keySet());
      todo.addAll(more);
    }
    messages.put(event.messageId(), event);
    List<Event> ordered = new ArrayList<>(messages.values());
    ordered.sort(ORDER);
    members.values().forEach(ws::rebuild);
    Outcome outcome = null;
    for (Event e : ordered) {
      Outcome o = fold(ws, e);
      if (e == event) {
        outcome = o;
      }
    }
    for (ProfileRecord old : members.values()) {
      if (ws.profile(old.id()).isEmpty()) {
        ws.holderOf(old.created().messageId()).ifPresent(to -> ws.redirect(old.id(), to));
      }
    }
    return outcome;
  }

  private Outcome fold(WorkingSet ws, Event event) {
    Set<Identifier> identifiers = new LinkedHashSet<>(event.identifiers());
    if (event.type() == EventType.ALIAS) {
      String prev = event.previousId().orElseThrow();
      Identifier asUser = Identifier.of(Identifier.USER_ID, prev);
      identifiers.add(ws.profileOf(asUser).isPresent()
          ? asUser : Identifier.of(Identifier.ANONYMOUS_ID, prev));
    }
    Resolution r = resolver.resolve(event, Collections.unmodifiableSet(identifiers), ws);
    if (r == null) {
      throw new IllegalStateException(resolver + " returned no resolution for " + event);
    }
    List<ProfileRecord> joined = new ArrayList<>(r.profiles().size());
    for (ProfileId p : r.profiles()) {
      joined.add(ws.profile(p).orElseThrow(() -> new IllegalStateException(
          resolver + " joined " + event.messageId() + " to unknown profile " + p)));
    }
    for (Identifier i : r.linked()) {
      if (!identifiers.contains(i)) {
        throw new IllegalStateException(resolver + " linked " + i + ", which message "
            + event.messageId() + " does not carry");
      }
    }
    EventKey key = EventKey.of(event);
    ProfileRecord target;
    List<ProfileId> merged = new ArrayList<>();
    if (joined.isEmpty()) {
      target = new ProfileRecord(profileIdFor(event.messageId()), key, key, Set.of(), Map.of(),
          Set.of(), Map.of());
    } else {
      joined.sort(Comparator.comparing(ProfileRecord::created));
      target = joined.get(0);
      for (ProfileRecord other : joined.subList(1, joined.size())) {
        target = mergeRecords(target, other);
        ws.merge(other.id(), target.id());
        for (Identifier i : other.identifiers()) {
          ws.link(i, target.id());
        }
        merged.add(other.id());
      }
    }
    Set<Identifier> ids = target.identifiers();
    if (!ids.containsAll(r.linked())) {
      ids = new HashSet<>(ids);
      for (Identifier i : r.linked()) {
        if (ids.add(i)) {
          ws.link(i, target.id());
        }
      }
    }
    Map<String, TraitValue> traits = target.traits();
    Set<String> accountIds = target.accountIds();
    if (event.type() == EventType.GROUP) {
      String groupId = event.groupId().orElseThrow();
      if (!accountIds.contains(groupId)) {
        accountIds = new HashSet<>(accountIds);
        accountIds.add(groupId);
      }
      AccountRecord account = ws.account(groupId).orElse(new AccountRecord(groupId, Map.of()));
      Map<String, TraitValue> accountTraits = lww(account.traits(), event.traits(), event);
      if (accountTraits != account.traits() || ws.account(groupId).isEmpty()) {
        ws.putAccount(new AccountRecord(groupId, accountTraits));
      }
    } else {
      traits = lww(traits, event.traits(), event);
    }
    Map<String, TraitValue> consents = lww(target.consents(), event.consents(), event);
    EventKey created = key.compareTo(target.created()) < 0 ? key : target.created();
    EventKey latest = key.compareTo(target.latest()) > 0 ? key : target.latest();
    ProfileRecord updated = new ProfileRecord(target.id(), created, latest, ids, traits,
        accountIds, consents);
    ws.put(updated);
    ws.place(event, updated.id());
    return new Outcome(false, updated.id(), merged, r.rejected());
  }

  /** Applies each value that wins over the current one; returns {@code current} if none did. */
  private static Map<String, TraitValue> lww(Map<String, TraitValue> current,
      Map<String, ?> values, Event event) {
    if (values.isEmpty()) {
      return current;
    }
    Map<String, TraitValue> out = null;
    Instant at = event.timestamp().orElseThrow();
    for (Map.Entry<String, ?> e : values.entrySet()) {
      TraitValue old = current.get(e.getKey());
      if (old == null || old.losesTo(at, event.messageId())) {
        if (out == null) {
          out = new HashMap<>(current);
        }
        out.put(e.getKey(), new TraitValue(e.getValue(), at, event.messageId(), event.source()));
      }
    }
    return out == null ? current : out;
  }

  private static ProfileRecord mergeRecords(ProfileRecord a, ProfileRecord b) {
    Set<Identifier> ids = new HashSet<>(a.identifiers());
    ids.addAll(b.identifiers());
    Set<String> accounts = new HashSet<>(a.accountIds());
    accounts.addAll(b.accountIds());
    EventKey created = a.created().compareTo(b.created()) <= 0 ? a.created() : b.created();
    EventKey latest = a.latest().compareTo(b.latest()) >= 0 ? a.latest() : b.latest();
    return new ProfileRecord(a.id(), created, latest, ids, mergeValues(a.traits(), b.traits()),
        accounts, mergeValues(a.consents(), b.consents()));
  }

  private static Map<String, TraitValue> mergeValues(Map<String, TraitValue> a,
      Map<String, TraitValue> b) {
    Map<String, TraitValue> out = new HashMap<>(a);
    b.forEach((k, v) -> {
      TraitValue mine = out.get(k);
      if (mine == null || mine.losesTo(v.timestamp(), v.messageId())) {
        out.put(k, v);
      }
    });
    return out;
  }
}
