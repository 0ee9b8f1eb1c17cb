package dev.cdpkit.internal.engine;

import com.google.common.hash.Hashing;
import dev.cdpkit.Event;
import dev.cdpkit.EventType;
import dev.cdpkit.Identifier;
import dev.cdpkit.IdentityRules;
import dev.cdpkit.ProfileId;
import dev.cdpkit.TraitValue;
import dev.cdpkit.identity.IdentityLink;
import dev.cdpkit.identity.IdentityResolver;
import dev.cdpkit.identity.RejectedIdentifier;
import dev.cdpkit.identity.Rejection;
import dev.cdpkit.identity.Resolution;
import dev.cdpkit.store.AccountRecord;
import dev.cdpkit.store.Changes;
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
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Applies messages to a store so that the result is the same as applying every message in
 * {@code (timestamp, messageId)} order.
 *
 * <p>A message later than everything its profiles have seen is folded in directly (the fast
 * path), and so is a late one that adds nothing to the identity graph. Any other late one
 * re-derives the part of the graph it touches: the profiles its identifiers resolve to or that
 * watched them (rejected them, or looked them up for an alias), closed over the same for every
 * message of those profiles, are dropped and their messages, with the new one, folded again in
 * order. Messages outside that part never mention an identifier inside it, so nothing outside can
 * change. See docs/adr/0002-identity-resolution.md.
 *
 * <p>Not thread-safe: the caller serializes every call.
 */
public final class Ingestor {
  private static final Comparator<Event> ORDER = Comparator.comparing(EventKey::of);

  private final ProfileStore store;
  private final IdentityResolver resolver;
  private final IdentityRules rules;
  private final Set<Identifier> removed;
  /** Suppression records ({@link #suppressionOf}) of forgotten identifiers. */
  private final Set<String> suppressed;
  private final Consumer<Changes> committed;

  /**
   * Creates an ingestor writing to {@code store}, resolving with {@code resolver}; {@code
   * committed} sees every change right after the store committed it.
   */
  public Ingestor(ProfileStore store, IdentityResolver resolver, IdentityRules rules,
      Consumer<Changes> committed) {
    this.store = store;
    this.resolver = resolver;
    this.rules = rules;
    this.committed = committed;
    this.removed = new HashSet<>(store.removedIdentifiers());
    this.suppressed = new HashSet<>(store.suppressions());
  }

  /** The suppression record of an identifier: a SHA-256 of its type and normalized value. */
  public static String suppressionOf(Identifier normalized) {
    return Hashing.sha256().hashString(normalized.type() + "\u0000" + normalized.value(),
        StandardCharsets.UTF_8).toString();
  }

  /** Whether a message carries a suppressed identifier: it must not be applied at all. */
  public boolean suppressed(Event event) {
    if (suppressed.isEmpty()) {
      return false;
    }
    for (Identifier i : event.identifiers()) {
      if (suppressed.contains(suppressionOf(rules.normalize(i)))) {
        return true;
      }
    }
    if (event.type() == EventType.ALIAS) {
      String prev = event.previousId().orElseThrow();
      return suppressed.contains(suppressionOf(previousAsUser(prev)))
          || suppressed.contains(suppressionOf(previousAsAnonymous(prev)));
    }
    return false;
  }

  /**
   * What forgetting did.
   *
   * @param profile the profile forgotten, if the identifier had one
   * @param record its record before, if it had one
   * @param identifiers the identifiers forgotten and suppressed
   * @param messages how many messages were deleted
   */
  public record Forgotten(Optional<ProfileId> profile, Optional<ProfileRecord> record,
      Set<Identifier> identifiers, int messages) {}

  /**
   * Forgets the person an identifier names: their messages are deleted from the log, every
   * identifier of their profile is suppressed (later messages carrying one are not applied) and
   * no longer links anything, and what those identifiers touched is derived again without them:
   * their profile goes, and profiles that had turned one of them away lose that trace.
   */
  public Forgotten forget(Identifier identifier) {
    Identifier id = rules.normalize(identifier);
    Set<Identifier> ids = new LinkedHashSet<>();
    ids.add(id);
    Optional<ProfileId> profile = store.profileOf(id);
    Optional<ProfileRecord> record = profile.flatMap(store::profile);
    Set<String> messages = new LinkedHashSet<>();
    record.ifPresent(r -> {
      ids.addAll(r.identifiers());
      for (Event e : store.events(r.id())) {
        messages.add(e.messageId());
      }
    });
    for (Event e : store.unresolvedEvents()) {
      for (Identifier i : e.identifiers()) {
        if (ids.contains(rules.normalize(i))) {
          messages.add(e.messageId());
        }
      }
    }
    Set<ProfileId> scope = new LinkedHashSet<>();
    profile.ifPresent(scope::add);
    for (Identifier i : ids) {
      scope.addAll(store.profilesWatching(i));
    }
    Set<String> hashes = new LinkedHashSet<>();
    for (Identifier i : ids) {
      hashes.add(suppressionOf(i));
    }
    store.putSuppressions(hashes);
    suppressed.addAll(hashes);
    int erased = store.erase(messages, ids, profile.map(Set::of).orElse(Set.of()));
    WorkingSet ws = new WorkingSet(store);
    if (!scope.isEmpty()) {
      replay(ws, List.of(), scope, false);
    }
    record.ifPresent(r -> {
      for (String accountId : r.accountIds()) {
        ws.account(accountId).ifPresent(a -> forgetProvenance(ws, a, messages));
      }
    });
    commit(ws);
    return new Forgotten(profile, record, Set.copyOf(ids), erased);
  }

  /** What an account trait set by a forgotten message names as the message that set it. */
  static final String FORGOTTEN_MESSAGE = "forgotten";

  /**
   * Account traits describe the account and stay, but no longer name the forgotten person's
   * messages as their provenance.
   */
  private static void forgetProvenance(WorkingSet ws, AccountRecord a, Set<String> messages) {
    Map<String, TraitValue> traits = new LinkedHashMap<>();
    boolean changed = false;
    for (Map.Entry<String, TraitValue> e : a.traits().entrySet()) {
      TraitValue v = e.getValue();
      if (messages.contains(v.messageId())) {
        v = new TraitValue(v.value(), v.timestamp(), FORGOTTEN_MESSAGE, v.source());
        changed = true;
      }
      traits.put(e.getKey(), v);
    }
    if (changed) {
      ws.putAccount(new AccountRecord(a.id(), traits));
    }
  }

  /** Lifts the suppression of an identifier; returns whether it was suppressed. */
  public boolean liftSuppression(Identifier identifier) {
    String hash = suppressionOf(rules.normalize(identifier));
    boolean was = store.removeSuppression(hash);
    suppressed.remove(hash);
    return was;
  }

  /**
   * What applying one message did.
   *
   * @param duplicate the message id was seen before, nothing was applied
   * @param profile the profile the message belongs to (null for a duplicate, or for a message
   *     whose every identifier is blocked or removed)
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
    Set<Identifier> identifiers = usable(event);
    Set<Identifier> mentioned = mentioned(event, identifiers);
    Set<ProfileId> scope = new LinkedHashSet<>();
    for (Identifier i : mentioned) {
      mentions(ws, i, scope, false);
    }
    Outcome outcome;
    if (addsNothingToTheGraph(ws, event, identifiers, scope)) {
      // It joins its one profile and links nothing; it cannot change what any other message saw.
      // Came in order, or would have added nothing in order either: fold it in as it is.
      if (!anyLater(ws, scope, key) || linkedBefore(ws, identifiers, scope, key)) {
        outcome = fold(ws, event, identifiers, scope.iterator().next());
      } else {
        outcome = replayWith(ws, event, scope);
      }
    } else {
      // Late when a message of the profiles it touches, or one that watched an identifier it
      // mentions or an identifier of those profiles, comes after it.
      boolean late = anyLater(ws, scope, key) || watchedAfter(ws, mentioned, key)
          || watchedAfter(ws, identifiersOf(ws, scope), key);
      if (late) {
        for (Identifier i : mentioned) {
          mentions(ws, i, scope, true);
        }
        outcome = replayWith(ws, event, scope);
      } else {
        outcome = fold(ws, event, identifiers, null);
      }
    }
    commit(ws);
    return outcome;
  }

  private void commit(WorkingSet ws) {
    Changes changes = ws.changes();
    store.commit(changes);
    committed.accept(changes);
  }

  /**
   * Re-derives {@code scope} with the late {@code event}; its outcome names the profile that holds
   * it when the re-derivation is done (a later message may have merged the one it joined).
   */
  private Outcome replayWith(WorkingSet ws, Event event, Set<ProfileId> scope) {
    Outcome o = replay(ws, List.of(event), scope, false).get(event.messageId());
    return o.profile() == null ? o : new Outcome(false,
        ws.holderOf(event.messageId()).orElse(o.profile()), o.merged(), o.rejected());
  }

  /**
   * Removes an identifier for good: the profiles it held together, and those whose messages were
   * shaped by it, are derived again from their messages as if it had never been seen.
   *
   * @return the profiles that now hold those messages
   */
  public Set<ProfileId> removeIdentifier(Identifier identifier) {
    Identifier id = rules.normalize(identifier);
    WorkingSet ws = new WorkingSet(store);
    Set<ProfileId> scope = new LinkedHashSet<>();
    mentions(ws, id, scope, true);
    removed.add(id);
    ws.remove(id);
    Set<ProfileId> holders = new LinkedHashSet<>();
    if (!scope.isEmpty()) {
      for (String messageId : replay(ws, List.of(), scope, false).keySet()) {
        ws.holderOf(messageId).ifPresent(holders::add);
      }
    }
    commit(ws);
    return holders;
  }

  /** Derives every profile again from the whole message log, under the current rules. */
  public void rebuildAll() {
    WorkingSet ws = new WorkingSet(store);
    Set<ProfileId> all = new LinkedHashSet<>();
    store.forEachProfile(r -> all.add(r.id()));
    replay(ws, List.of(), all, true);
    commit(ws);
  }

  /** The message's identifiers, normalized by the rules, without removed ones. */
  private Set<Identifier> usable(Event event) {
    Set<Identifier> out = new LinkedHashSet<>(event.identifiers().size() + 1);
    for (Identifier i : event.identifiers()) {
      Identifier n = rules.normalize(i);
      if (!removed.contains(n) && (suppressed.isEmpty()
          || !suppressed.contains(suppressionOf(n)))) {
        out.add(n);
      }
    }
    return out;
  }

  private static boolean anyLater(WorkingSet ws, Set<ProfileId> profiles, EventKey key) {
    for (ProfileId p : profiles) {
      if (ws.profile(p).orElseThrow().latest().compareTo(key) >= 0) {
        return true;
      }
    }
    return false;
  }

  /** Whether the message is no alias and every identifier it carries is on the one profile. */
  private static boolean addsNothingToTheGraph(WorkingSet ws, Event event,
      Set<Identifier> identifiers, Set<ProfileId> scope) {
    if (event.type() == EventType.ALIAS || scope.size() != 1 || identifiers.isEmpty()) {
      return false;
    }
    ProfileId only = scope.iterator().next();
    for (Identifier i : identifiers) {
      if (!ws.profileOf(i).map(only::equals).orElse(false)) {
        return false;
      }
    }
    return true;
  }

  /**
   * For a late message that adds nothing to the graph of its one profile: whether it would have
   * added nothing had it come in order too, so that it can be folded in as it is. That is so when
   * every identifier it carries was linked there by an earlier message, and the profile began
   * before it and (unless it carries a single identifier) merged nothing after it. What it does
   * add (traits, consents and account traits by latest-wins, membership, first and last seen)
   * does not depend on order.
   */
  private static boolean linkedBefore(WorkingSet ws, Set<Identifier> identifiers,
      Set<ProfileId> scope, EventKey key) {
    ProfileRecord p = ws.profile(scope.iterator().next()).orElseThrow();
    if (p.created().compareTo(key) >= 0) {
      return false;
    }
    // With one identifier, a merge after the message does not matter: the message joined
    // whatever profile held that identifier then, and the merge happens after it all the same.
    boolean single = identifiers.size() == 1;
    Set<Identifier> linkedBefore = new HashSet<>();
    for (IdentityLink l : p.links()) {
      boolean before = new EventKey(l.timestamp(), l.messageId()).compareTo(key) < 0;
      if (before) {
        linkedBefore.addAll(l.linked());
      } else if (!l.merged().isEmpty() && !single) {
        return false;
      }
    }
    return linkedBefore.containsAll(identifiers);
  }

  /** Every identifier of {@code profiles}. */
  private static Set<Identifier> identifiersOf(WorkingSet ws, Set<ProfileId> profiles) {
    Set<Identifier> out = new HashSet<>();
    for (ProfileId p : profiles) {
      out.addAll(ws.identifiers(p));
    }
    return out;
  }

  /** Whether a message at or after {@code key} may have rejected one of {@code identifiers}. */
  private boolean watchedAfter(WorkingSet ws, Set<Identifier> identifiers, EventKey key) {
    for (Identifier i : identifiers) {
      if (!rules.isBlocked(i)
          && ws.watchedUntil(i).map(until -> until.compareTo(key) >= 0).orElse(false)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The identifiers whose profiles can change how {@code event} is resolved: its own; for a user
   * id, the same value as an anonymous id (an earlier alias may have taken it for one); for an
   * alias, what its previousId can be looked up as.
   */
  private Set<Identifier> mentioned(Event event, Set<Identifier> usable) {
    Set<Identifier> out = new HashSet<>(usable);
    for (Identifier i : usable) {
      if (i.type().equals(Identifier.USER_ID)) {
        out.add(rules.normalize(new Identifier(Identifier.ANONYMOUS_ID, i.value())));
      }
    }
    event.previousId().ifPresent(prev -> {
      out.add(previousAsUser(prev));
      out.add(previousAsAnonymous(prev));
    });
    return out;
  }

  /** An alias's previousId looked up as a user id (taken when that user id is linked). */
  private Identifier previousAsUser(String previousId) {
    return rules.normalize(Identifier.of(Identifier.USER_ID, previousId));
  }

  /** An alias's previousId as an anonymous id (when no such user id is linked). */
  private Identifier previousAsAnonymous(String previousId) {
    return rules.normalize(Identifier.of(Identifier.ANONYMOUS_ID, previousId));
  }

  /** Adds the profile of {@code i} and, if asked, the profiles that watched it. */
  private void mentions(WorkingSet ws, Identifier i, Set<ProfileId> into,
      boolean withRejecting) {
    ws.profileOf(i).ifPresent(into::add);
    if (withRejecting && !rules.isBlocked(i)) {
      into.addAll(ws.profilesWatching(i));
    }
  }

  /**
   * Derives {@code scope}, closed over everything its messages touch, again from its messages and
   * {@code extra} ones, in order. Returns each folded message's outcome by message id.
   */
  private Map<String, Outcome> replay(WorkingSet ws, List<Event> extra, Set<ProfileId> scope,
      boolean withUnresolved) {
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
        for (Identifier i : mentioned(e, usable(e))) {
          mentions(ws, i, more, true);
        }
      }
      more.removeAll(members.keySet());
      todo.addAll(more);
    }
    if (withUnresolved) {
      for (Event e : store.unresolvedEvents()) {
        messages.put(e.messageId(), e);
      }
      ws.resetUnresolved();
    }
    for (Event e : extra) {
      messages.put(e.messageId(), e);
    }
    List<Event> ordered = new ArrayList<>(messages.values());
    ordered.sort(ORDER);
    members.values().forEach(ws::rebuild);
    Map<String, Outcome> outcomes = new HashMap<>();
    for (Event e : ordered) {
      outcomes.put(e.messageId(), fold(ws, e, usable(e), null));
    }
    for (ProfileRecord old : members.values()) {
      if (ws.profile(old.id()).isEmpty()) {
        ws.holderOf(old.created().messageId()).ifPresent(to -> ws.redirect(old.id(), to));
      }
    }
    return outcomes;
  }

  /**
   * Applies one message on top of {@code ws}; {@code usable} is {@link #usable} of it. With
   * {@code joins}, every usable identifier is already on that profile and the message is no
   * alias: it joins that profile, which any resolver decides (see {@link IdentityResolver}), so
   * the resolver is not asked.
   */
  private Outcome fold(WorkingSet ws, Event event, Set<Identifier> usable, ProfileId joins) {
    Set<Identifier> identifiers = new LinkedHashSet<>(usable);
    Identifier notFound = null;
    if (event.type() == EventType.ALIAS) {
      String prev = event.previousId().orElseThrow();
      Identifier asUser = previousAsUser(prev);
      boolean known = ws.profileOf(asUser).isPresent();
      notFound = known ? null : asUser;
      Identifier previous = known
          ? asUser : previousAsAnonymous(prev);
      if (!removed.contains(previous)) {
        identifiers.add(previous);
      }
    }
    Resolution r = joins != null
        ? new Resolution(Set.of(joins), identifiers, List.of())
        : resolver.resolve(event, Collections.unmodifiableSet(identifiers), ws);
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
    if (joined.isEmpty() && r.linked().isEmpty()) {
      ws.placeUnresolved(event);
      return new Outcome(false, null, List.of(), r.rejected());
    }
    EventKey key = EventKey.of(event);
    ProfileRecord target;
    List<ProfileId> merged = new ArrayList<>(0);
    if (joined.isEmpty()) {
      target = new ProfileRecord(profileIdFor(event.messageId()), key, key, Set.of(), Map.of(),
          Set.of(), Map.of(), List.of(), Map.of(), Set.of());
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
    Set<Identifier> newlyLinked = new LinkedHashSet<>(0);
    for (Identifier i : r.linked()) {
      if (!ids.contains(i)) {
        newlyLinked.add(i);
      }
    }
    if (!newlyLinked.isEmpty()) {
      ids = new HashSet<>(ids);
      for (Identifier i : newlyLinked) {
        ids.add(i);
        ws.link(i, target.id());
      }
    }
    Instant at = key.timestamp();
    List<IdentityLink> links = target.links();
    if (!newlyLinked.isEmpty() || !merged.isEmpty()) {
      links = new ArrayList<>(links);
      links.add(new IdentityLink(event.messageId(), at, event.source(), newlyLinked,
          new HashSet<>(merged)));
    }
    Map<Identifier, Rejection> rejections = target.rejections();
    if (!r.rejected().isEmpty()) {
      rejections = new HashMap<>(rejections);
      for (RejectedIdentifier x : r.rejected()) {
        rejections.merge(x.identifier(), new Rejection(x.identifier(), x.reason(),
            event.messageId(), at, 1, rules.isBlocked(x.identifier())), Ingestor::combine);
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
      AccountRecord account = ws.account(groupId).orElse(null);
      Map<String, TraitValue> before = account == null ? Map.of() : account.traits();
      Map<String, TraitValue> after = lww(before, event.traits(), event);
      if (account == null || after != before) {
        ws.putAccount(new AccountRecord(groupId, after));
      }
    } else {
      traits = lww(traits, event.traits(), event);
    }
    Map<String, TraitValue> consents = lww(target.consents(), event.consents(), event);
    EventKey created = key.compareTo(target.created()) < 0 ? key : target.created();
    EventKey latest = key.compareTo(target.latest()) > 0 ? key : target.latest();
    Set<Identifier> lookups = target.lookups();
    if (notFound != null && !lookups.contains(notFound)) {
      lookups = new HashSet<>(lookups);
      lookups.add(notFound);
    }
    ProfileRecord updated = new ProfileRecord(target.id(), created, latest, ids, traits,
        accountIds, consents, links, rejections, lookups);
    ws.put(updated);
    ws.place(event, updated.id());
    return new Outcome(false, updated.id(), merged, r.rejected());
  }

  /** Two rejections of one identifier: the earlier message's reason, and both counts. */
  private static Rejection combine(Rejection a, Rejection b) {
    Rejection first = new EventKey(a.timestamp(), a.messageId())
        .compareTo(new EventKey(b.timestamp(), b.messageId())) <= 0 ? a : b;
    return new Rejection(first.identifier(), first.reason(), first.messageId(),
        first.timestamp(), a.times() + b.times(), a.blocked() && b.blocked());
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
    List<IdentityLink> links = new ArrayList<>(a.links().size() + b.links().size());
    links.addAll(a.links());
    links.addAll(b.links());
    links.sort(Comparator.comparing(l -> new EventKey(l.timestamp(), l.messageId())));
    Map<Identifier, Rejection> rejections = new HashMap<>(a.rejections());
    b.rejections().forEach((i, x) -> rejections.merge(i, x, Ingestor::combine));
    Set<Identifier> lookups = new HashSet<>(a.lookups());
    lookups.addAll(b.lookups());
    return new ProfileRecord(a.id(), created, latest, ids, mergeValues(a.traits(), b.traits()),
        accounts, mergeValues(a.consents(), b.consents()), links, rejections, lookups);
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
