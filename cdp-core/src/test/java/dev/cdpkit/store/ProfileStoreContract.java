package dev.cdpkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdpkit.Event;
import dev.cdpkit.Identifier;
import dev.cdpkit.ProfileId;
import dev.cdpkit.TraitValue;
import dev.cdpkit.identity.IdentityLink;
import dev.cdpkit.identity.Rejection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ProfileStore} must do. A store's test extends this class and says how to make
 * an empty store; the suite ships in cdp-core's test jar.
 */
public abstract class ProfileStoreContract {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  protected ProfileStore store;

  /** A new, empty store. */
  protected abstract ProfileStore createStore() throws Exception;

  @BeforeEach
  void open() throws Exception {
    store = createStore();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  private static Event event(String messageId, int second, String userId) {
    return Event.identify().userId(userId).trait("n", second).messageId(messageId)
        .timestamp(T0.plusSeconds(second)).build();
  }

  private static ProfileRecord record(String id, Event first, Identifier... ids) {
    EventKey key = EventKey.of(first);
    return new ProfileRecord(ProfileId.of(id), key, key, Set.of(ids),
        Map.of("n", new TraitValue(1L, T0, first.messageId(), "api")), Set.of("acme"),
        Map.of("marketing", new TraitValue(true, T0, first.messageId(), "api")), List.of(),
        Map.of(), Set.of());
  }

  private static Changes changes(Set<ProfileId> rebuilt, List<Changes.Placement> placements,
      List<Changes.Move> moves, Map<ProfileId, ProfileId> retired,
      Map<ProfileId, ProfileRecord> profiles, Set<Identifier> removed,
      Map<Identifier, ProfileId> identifiers) {
    return new Changes(rebuilt, placements, moves, retired, profiles, removed, identifiers,
        Map.of(), false, List.of(), Set.of());
  }

  @Test
  void anEmptyStoreKnowsNothing() {
    assertThat(store.containsMessage("m1")).isFalse();
    assertThat(store.profileOf(Identifier.of("user_id", "u1"))).isEmpty();
    assertThat(store.profile(ProfileId.of("p1"))).isEmpty();
    assertThat(store.resolve(ProfileId.of("p1"))).isEmpty();
    assertThat(store.events(ProfileId.of("p1"))).isEmpty();
    assertThat(store.account("acme")).isEmpty();
    assertThat(store.profileCount()).isZero();
    assertThat(store.unresolvedEvents()).isEmpty();
    assertThat(store.profilesWatching(Identifier.of("user_id", "u1"))).isEmpty();
    assertThat(store.removedIdentifiers()).isEmpty();
  }

  @Test
  void unresolvedEventsRemovedIdentifiersAndTheRejectionIndex() {
    Event lost = event("m0", 0, "null");
    Identifier device = Identifier.of("device_id", "kiosk");
    store.commit(new Changes(Set.of(), List.of(), List.of(), Map.of(), Map.of(), Set.of(),
        Map.of(), Map.of(), false, List.of(lost), Set.of(device)));
    assertThat(store.containsMessage("m0")).isTrue();
    assertThat(store.unresolvedEvents()).containsExactly(lost);
    assertThat(store.removedIdentifiers()).containsExactly(device);

    Event e1 = event("m1", 1, "u1");
    Identifier u1 = Identifier.of("user_id", "u1");
    Identifier shared = Identifier.of("device_id", "ipad");
    ProfileRecord p1 = new ProfileRecord(ProfileId.of("p1"), EventKey.of(e1), EventKey.of(e1),
        Set.of(u1), Map.of(), Set.of(), Map.of(), List.of(new IdentityLink("m1", T0, "api",
            Set.of(u1), Set.of())), Map.of(shared, new Rejection(shared, "limit", "m1", T0, 1, false),
            Identifier.of("user_id", "null"), new Rejection(Identifier.of("user_id", "null"),
                "blocked", "m1", T0, 1, true)),
        Set.of(Identifier.of("user_id", "u9")));
    store.commit(new Changes(Set.of(), List.of(new Changes.Placement(e1, p1.id())), List.of(),
        Map.of(), Map.of(p1.id(), p1), Set.of(), Map.of(u1, p1.id()), Map.of(), false,
        List.of(), Set.of()));
    assertThat(store.profile(p1.id())).hasValue(p1);
    assertThat(store.profilesWatching(shared)).containsExactly(p1.id());
    assertThat(store.profilesWatching(Identifier.of("user_id", "u9"))).containsExactly(p1.id());
    assertThat(store.profilesWatching(Identifier.of("user_id", "null"))).as("blocked").isEmpty();
    assertThat(store.watchedUntil(shared)).hasValue(p1.latest());
    ProfileRecord without = new ProfileRecord(p1.id(), p1.created(), p1.latest(), Set.of(u1),
        Map.of(), Set.of(), Map.of(), p1.links(), Map.of(), Set.of());
    store.commit(new Changes(Set.of(), List.of(), List.of(), Map.of(), Map.of(p1.id(), without),
        Set.of(), Map.of(), Map.of(), true, List.of(), Set.of()));
    assertThat(store.profilesWatching(shared)).isEmpty();
    assertThat(store.unresolvedEvents()).as("reset").isEmpty();
    assertThat(store.containsMessage("m0")).as("still a known message").isTrue();
  }

  @Test
  void commitStoresEventsProfilesIdentifiersAndAccounts() {
    Event e1 = event("m1", 1, "u1");
    Identifier u1 = Identifier.of("user_id", "u1");
    ProfileRecord p1 = record("p1", e1, u1);
    AccountRecord acme = new AccountRecord("acme",
        Map.of("arr", new TraitValue(100L, T0, "m1", "crm")));
    store.commit(new Changes(Set.of(), List.of(new Changes.Placement(e1, p1.id())), List.of(),
        Map.of(), Map.of(p1.id(), p1), Set.of(), Map.of(u1, p1.id()), Map.of("acme", acme),
        false, List.of(), Set.of()));
    assertThat(store.containsMessage("m1")).isTrue();
    assertThat(store.profileOf(u1)).hasValue(p1.id());
    assertThat(store.profile(p1.id())).hasValue(p1);
    assertThat(store.resolve(p1.id())).hasValue(p1.id());
    assertThat(store.events(p1.id())).containsExactly(e1);
    assertThat(store.account("acme")).hasValue(acme);
    assertThat(store.profileCount()).isEqualTo(1);
    List<ProfileRecord> all = new ArrayList<>();
    store.forEachProfile(all::add);
    assertThat(all).containsExactly(p1);
  }

  @Test
  void aMergeMovesEventsAndRetiresTheMergedId() {
    Event e1 = event("m1", 1, "u1");
    Event e2 = event("m2", 2, "u2");
    Identifier u1 = Identifier.of("user_id", "u1");
    Identifier u2 = Identifier.of("user_id", "u2");
    ProfileRecord p1 = record("p1", e1, u1);
    ProfileRecord p2 = record("p2", e2, u2);
    store.commit(changes(Set.of(), List.of(new Changes.Placement(e1, p1.id()),
        new Changes.Placement(e2, p2.id())), List.of(), Map.of(),
        Map.of(p1.id(), p1, p2.id(), p2), Set.of(), Map.of(u1, p1.id(), u2, p2.id())));
    Event e3 = event("m3", 3, "u1");
    ProfileRecord merged = record("p1", e1, u1, u2);
    store.commit(changes(Set.of(), List.of(new Changes.Placement(e3, p2.id())),
        List.of(new Changes.Move(p2.id(), p1.id())), Map.of(p2.id(), p1.id()),
        Map.of(p1.id(), merged), Set.of(), Map.of(u2, p1.id())));
    assertThat(store.events(p1.id())).containsExactlyInAnyOrder(e1, e2, e3);
    assertThat(store.events(p2.id())).isEmpty();
    assertThat(store.profile(p2.id())).isEmpty();
    assertThat(store.resolve(p2.id())).hasValue(p1.id());
    assertThat(store.profileOf(u2)).hasValue(p1.id());
    assertThat(store.profileCount()).isEqualTo(1);
  }

  @Test
  void aRebuildReplacesProfilesAndPlacesTheirEventsAgain() {
    Event e1 = event("m1", 1, "u1");
    Event e2 = event("m2", 2, "u1");
    Identifier u1 = Identifier.of("user_id", "u1");
    Identifier a1 = Identifier.of("anonymous_id", "a1");
    ProfileRecord old = record("p2", e2, u1, a1);
    store.commit(changes(Set.of(), List.of(new Changes.Placement(e2, old.id())), List.of(),
        Map.of(), Map.of(old.id(), old), Set.of(), Map.of(u1, old.id(), a1, old.id())));
    ProfileRecord rebuilt = record("p1", e1, u1);
    store.commit(changes(Set.of(old.id()), List.of(new Changes.Placement(e1, rebuilt.id()),
        new Changes.Placement(e2, rebuilt.id())), List.of(), Map.of(old.id(), rebuilt.id()),
        Map.of(rebuilt.id(), rebuilt), Set.of(a1), Map.of(u1, rebuilt.id())));
    assertThat(store.events(rebuilt.id())).containsExactlyInAnyOrder(e1, e2);
    assertThat(store.events(old.id())).isEmpty();
    assertThat(store.resolve(old.id())).hasValue(rebuilt.id());
    assertThat(store.profileOf(a1)).isEmpty();
    assertThat(store.profileOf(u1)).hasValue(rebuilt.id());
    assertThat(store.profileCount()).isEqualTo(1);
  }

  @Test
  void aRetiredIdPutAgainIsLiveAgain() {
    Event e1 = event("m1", 1, "u1");
    Identifier u1 = Identifier.of("user_id", "u1");
    ProfileRecord p1 = record("p1", e1, u1);
    ProfileRecord p2 = record("p2", e1, u1);
    store.commit(changes(Set.of(), List.of(new Changes.Placement(e1, p1.id())), List.of(),
        Map.of(), Map.of(p1.id(), p1), Set.of(), Map.of(u1, p1.id())));
    store.commit(changes(Set.of(p1.id()), List.of(new Changes.Placement(e1, p2.id())), List.of(),
        Map.of(p1.id(), p2.id()), Map.of(p2.id(), p2), Set.of(), Map.of(u1, p2.id())));
    assertThat(store.resolve(p1.id())).hasValue(p2.id());
    store.commit(changes(Set.of(p2.id()), List.of(new Changes.Placement(e1, p1.id())), List.of(),
        Map.of(p2.id(), p1.id()), Map.of(p1.id(), p1), Set.of(), Map.of(u1, p1.id())));
    assertThat(store.resolve(p1.id())).hasValue(p1.id());
    assertThat(store.resolve(p2.id())).hasValue(p1.id());
    assertThat(store.events(p1.id())).containsExactly(e1);
  }

  @Test
  void eraseDeletesMessagesIdentifierRowsAndRedirectsForGood() {
    Event e1 = event("m1", 1, "u1");
    Event e2 = event("m2", 2, "u1");
    Event lost = event("m3", 3, "null");
    Identifier u1 = Identifier.of("user_id", "u1");
    Identifier device = Identifier.of("device_id", "ipad");
    ProfileRecord p1 = record("p1", e1, u1);
    ProfileRecord watcher = new ProfileRecord(ProfileId.of("p2"), EventKey.of(e1),
        EventKey.of(e1), Set.of(), Map.of(), Set.of(), Map.of(), List.of(), Map.of(),
        Set.of(device));
    store.commit(new Changes(Set.of(), List.of(new Changes.Placement(e1, p1.id()),
        new Changes.Placement(e2, p1.id())), List.of(), Map.of(ProfileId.of("p0"), p1.id()),
        Map.of(p1.id(), p1, watcher.id(), watcher), Set.of(), Map.of(u1, p1.id(), device,
            p1.id()), Map.of(), false, List.of(lost), Set.of(Identifier.of("email", "x@y"))));
    int erased = store.erase(Set.of("m1", "m2", "m3"), Set.of(u1, device,
        Identifier.of("email", "x@y")), Set.of(p1.id()));
    assertThat(erased).isEqualTo(3);
    for (String m : List.of("m1", "m2", "m3")) {
      assertThat(store.containsMessage(m)).as(m).isFalse();
    }
    assertThat(store.events(p1.id())).isEmpty();
    assertThat(store.unresolvedEvents()).isEmpty();
    assertThat(store.profileOf(u1)).isEmpty();
    assertThat(store.profileOf(device)).isEmpty();
    assertThat(store.profilesWatching(device)).isEmpty();
    assertThat(store.watchedUntil(device)).isEmpty();
    assertThat(store.removedIdentifiers()).isEmpty();
    assertThat(store.resolve(ProfileId.of("p0"))).as("the redirect to it is gone").isEmpty();
    // a message id erased can be stored again
    store.commit(changes(Set.of(), List.of(new Changes.Placement(e1, watcher.id())), List.of(),
        Map.of(), Map.of(), Set.of(), Map.of()));
    assertThat(store.containsMessage("m1")).isTrue();
  }

  @Test
  void suppressionsAreKeptAndLifted() {
    assertThat(store.suppressions()).isEmpty();
    store.putSuppressions(Set.of("aa", "bb"));
    store.putSuppressions(Set.of("bb", "cc"));
    assertThat(store.suppressions()).containsExactlyInAnyOrder("aa", "bb", "cc");
    assertThat(store.removeSuppression("bb")).isTrue();
    assertThat(store.removeSuppression("bb")).isFalse();
    assertThat(store.suppressions()).containsExactlyInAnyOrder("aa", "cc");
  }

  @Test
  void anAudienceRemembersWhatEachMemberWasSent() {
    ProfileId a = ProfileId.of("a");
    ProfileId b = ProfileId.of("b");
    store.updateAudience("mail", Map.of(a, List.of("email=a@x", "email=a2@x"),
        b, List.of("email=b;\u0000\"'@x")), Set.of());
    store.updateAudience("ads", Map.of(a, List.of("email_sha256=00ff")), Set.of());
    assertThat(store.audienceMembers("mail", Set.of(a, b, ProfileId.of("c")))).isEqualTo(Map.of(
        a, List.of("email=a@x", "email=a2@x"), b, List.of("email=b;\u0000\"'@x")));
    store.updateAudience("mail", Map.of(b, List.of("email=new@x")), Set.of(a, b));
    Map<ProfileId, List<String>> all = new java.util.HashMap<>();
    store.forEachAudienceMember("mail", all::put);
    assertThat(all).isEqualTo(Map.of(b, List.of("email=new@x")));
    store.forEachAudienceMember("ads", all::put);
    assertThat(all).containsEntry(a, List.of("email_sha256=00ff"));
    store.forEachAudienceMember("none", (id, sent) -> {
      throw new AssertionError("no such audience");
    });
  }

  @Test
  void segmentDefinitionsKeepTheOrderOfTheirLatestDefinition() {
    assertThat(store.segments()).isEmpty();
    store.putSegment("a", "ltv > 1");
    store.putSegment("b", "in segment \"a\"");
    store.putSegment("a", "ltv > 2");
    assertThat(store.segments()).containsExactly(Map.entry("b", "in segment \"a\""),
        Map.entry("a", "ltv > 2"));
  }

  @Test
  void everyEventOfEveryLiveProfileInOnePass() {
    Event e1 = event("m1", 1, "u1");
    Event e2 = event("m2", 2, "u1");
    Event e3 = event("m3", 3, "u3");
    Event lost = event("m4", 4, "null");
    Identifier u1 = Identifier.of("user_id", "u1");
    Identifier u3 = Identifier.of("user_id", "u3");
    ProfileRecord p1 = record("p1", e1, u1);
    ProfileRecord p3 = record("p3", e3, u3);
    store.commit(new Changes(Set.of(), List.of(new Changes.Placement(e1, p1.id()),
        new Changes.Placement(e2, p1.id()), new Changes.Placement(e3, p3.id())), List.of(),
        Map.of(), Map.of(p1.id(), p1, p3.id(), p3), Set.of(), Map.of(u1, p1.id(), u3, p3.id()),
        Map.of(), false, List.of(lost), Set.of()));
    Map<ProfileId, List<Event>> seen = new java.util.HashMap<>();
    store.forEachEvent((id, e) -> seen.computeIfAbsent(id, k -> new ArrayList<>()).add(e));
    assertThat(seen).containsOnlyKeys(p1.id(), p3.id());
    assertThat(seen.get(p1.id())).containsExactlyInAnyOrder(e1, e2);
    assertThat(seen.get(p3.id())).containsExactly(e3);
  }

  /** Quotes, semicolons, SQL, NUL, 4-byte characters: what a store must keep exactly. */
  private static final String[] HOSTILE = {"o'brien", "\"; DROP TABLE cdp_event; --",
      "a\u0000b", "\uD83D\uDE00 emoji", "SELECT * FROM x WHERE 1=1", "back\\slash", "%_*?",
      "tab\tnew\nline"};

  @Test
  void hostileNamesAndValuesRoundTripExactly() {
    List<Changes.Placement> placements = new ArrayList<>();
    Map<ProfileId, ProfileRecord> profiles = new java.util.HashMap<>();
    Map<Identifier, ProfileId> identifiers = new java.util.HashMap<>();
    Map<String, AccountRecord> accounts = new java.util.HashMap<>();
    for (int i = 0; i < HOSTILE.length; i++) {
      String h = HOSTILE[i];
      Event e = Event.track(h).userId(h).property(h, h).trait(h, List.of(h))
          .messageId(h + i).timestamp(T0.plusSeconds(i)).build();
      Identifier id = Identifier.of("crm_id", h);
      ProfileId pid = ProfileId.of("p-" + h);
      EventKey key = EventKey.of(e);
      profiles.put(pid, new ProfileRecord(pid, key, key, Set.of(id),
          Map.of(h, new TraitValue(h, T0, h + i, h)), Set.of(h),
          Map.of(h, new TraitValue(true, T0, h + i, h)), List.of(), Map.of(), Set.of()));
      placements.add(new Changes.Placement(e, pid));
      identifiers.put(id, pid);
      accounts.put(h, new AccountRecord(h, Map.of(h, new TraitValue(h, T0, h + i, h))));
      store.putSegment(h, "`" + h + "` = 'x'");
    }
    store.commit(new Changes(Set.of(), placements, List.of(), Map.of(), profiles, Set.of(),
        identifiers, accounts, false, List.of(), Set.of()));
    for (int i = 0; i < HOSTILE.length; i++) {
      String h = HOSTILE[i];
      ProfileId pid = ProfileId.of("p-" + h);
      assertThat(store.containsMessage(h + i)).as(h).isTrue();
      assertThat(store.profileOf(Identifier.of("crm_id", h))).as(h).hasValue(pid);
      assertThat(store.profile(pid)).as(h).hasValue(profiles.get(pid));
      assertThat(store.events(pid)).as(h).containsExactly(placements.get(i).event());
      assertThat(store.account(h)).as(h).hasValue(accounts.get(h));
      assertThat(store.segments()).as(h).containsEntry(h, "`" + h + "` = 'x'");
    }
    assertThat(store.containsMessage("o'brien")).isFalse();
    assertThat(store.profileCount()).isEqualTo(HOSTILE.length);
  }
}
