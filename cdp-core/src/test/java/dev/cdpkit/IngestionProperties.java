package dev.cdpkit;

import static dev.cdpkit.testing.PropertyCheck.forAllLists;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cdpkit.testing.MessageGenerator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The laws of ingestion with the link-all resolver: profiles are a function of the set of
 * messages, a message applied twice changes nothing, and the result equals an independent
 * union-find over the messages in (timestamp, messageId) order.
 */
class IngestionProperties {

  /** Everything observable about a Cdp's profiles and accounts. */
  record State(Set<Profile> profiles, Map<String, Account> accounts) {}

  static State state(Cdp cdp, List<Event> messages) {
    Set<Profile> profiles = new HashSet<>();
    cdp.forEachProfile(profiles::add);
    Map<String, Account> accounts = new TreeMap<>();
    for (Event e : messages) {
      e.groupId().flatMap(cdp::account).ifPresent(a -> accounts.put(a.id(), a));
    }
    assertThat(cdp.profileCount()).isEqualTo(profiles.size());
    return new State(profiles, accounts);
  }

  /** No limits, no blocked values: every identifier of a message links. */
  static Cdp linkingEverything() {
    return Cdp.builder().identityRules(IdentityRules.builder().build()).build();
  }

  static State ingestAll(List<Event> messages) {
    Cdp cdp = linkingEverything();
    for (Event e : messages) {
      assertThat(cdp.ingest(e).applied()).isEqualTo(1);
    }
    return state(cdp, messages);
  }

  @Test
  void anyArrivalOrderGivesTheSameProfiles() {
    forAllLists(r -> MessageGenerator.messages(r, 14), messages -> {
      State expected = ingestAll(sorted(messages));
      Random shuffle = new Random(messages.size());
      for (int i = 0; i < 4; i++) {
        List<Event> order = new ArrayList<>(messages);
        Collections.shuffle(order, shuffle);
        assertThat(ingestAll(order)).as("order %s", order).isEqualTo(expected);
      }
      List<Event> reversed = new ArrayList<>(sorted(messages));
      Collections.reverse(reversed);
      assertThat(ingestAll(reversed)).isEqualTo(expected);
    });
  }

  @Test
  void ingestingAgainChangesNothing() {
    forAllLists(r -> MessageGenerator.messages(r, 14), messages -> {
      Cdp cdp = linkingEverything();
      messages.forEach(cdp::ingest);
      State once = state(cdp, messages);
      for (Event e : messages) {
        IngestResult again = cdp.ingest(e);
        assertThat(again.duplicates()).isEqualTo(1);
        assertThat(again.applied()).isZero();
      }
      assertThat(state(cdp, messages)).isEqualTo(once);
    });
  }

  @Test
  void profilesEqualAUnionFindOverSortedMessages() {
    forAllLists(r -> MessageGenerator.messages(r, 14), messages -> {
      Cdp cdp = linkingEverything();
      List<Event> shuffled = new ArrayList<>(messages);
      Collections.shuffle(shuffled, new Random(7));
      shuffled.forEach(cdp::ingest);
      Map<Set<Identifier>, Map<String, Object>> actual = new HashMap<>();
      Map<Set<Identifier>, List<Object>> actualRest = new HashMap<>();
      cdp.forEachProfile(p -> {
        actual.put(p.identifiers(), p.traits());
        actualRest.put(p.identifiers(), List.of(p.consents(), p.accountIds(), p.firstSeen(),
            p.lastSeen()));
      });
      Oracle oracle = new Oracle(messages);
      assertThat(actual).isEqualTo(oracle.traits);
      assertThat(actualRest).isEqualTo(oracle.rest);
      for (Map.Entry<String, Map<String, Object>> a : oracle.accountTraits.entrySet()) {
        assertThat(cdp.account(a.getKey()).orElseThrow().traits()).isEqualTo(a.getValue());
      }
    });
  }

  static List<Event> sorted(List<Event> messages) {
    List<Event> out = new ArrayList<>(messages);
    out.sort(Comparator.comparing((Event e) -> e.timestamp().orElseThrow())
        .thenComparing(Event::messageId));
    return out;
  }

  /** An independent model: union-find over identifiers, applied in (timestamp, messageId) order. */
  static final class Oracle {
    final Map<Set<Identifier>, Map<String, Object>> traits = new HashMap<>();
    final Map<Set<Identifier>, List<Object>> rest = new HashMap<>();
    final Map<String, Map<String, Object>> accountTraits = new HashMap<>();
    private final Map<Identifier, Identifier> parent = new HashMap<>();

    Oracle(List<Event> messages) {
      List<Event> ordered = sorted(messages);
      Map<Event, Identifier> anchor = new HashMap<>();
      for (Event e : ordered) {
        List<Identifier> ids = new ArrayList<>(e.identifiers());
        e.previousId().ifPresent(prev -> {
          Identifier asUser = Identifier.of("user_id", prev);
          ids.add(parent.containsKey(asUser) ? asUser : Identifier.of("anonymous_id", prev));
        });
        for (Identifier i : ids) {
          parent.putIfAbsent(i, i);
          union(ids.get(0), i);
        }
        anchor.put(e, ids.get(0));
      }
      Map<Identifier, Set<Identifier>> components = new HashMap<>();
      for (Identifier i : parent.keySet()) {
        components.computeIfAbsent(find(i), k -> new HashSet<>()).add(i);
      }
      Map<Identifier, Map<String, Object>> t = new HashMap<>();
      Map<Identifier, Map<String, Boolean>> consents = new HashMap<>();
      Map<Identifier, Set<String>> accounts = new HashMap<>();
      Map<Identifier, List<Event>> byComponent = new HashMap<>();
      for (Event e : ordered) { // later messages overwrite earlier ones: last write wins
        Identifier root = find(anchor.get(e));
        byComponent.computeIfAbsent(root, k -> new ArrayList<>()).add(e);
        Map<String, Object> target = e.type() == EventType.GROUP
            ? accountTraits.computeIfAbsent(e.groupId().orElseThrow(), k -> new HashMap<>())
            : t.computeIfAbsent(root, k -> new HashMap<>());
        e.traits().forEach((k, v) -> {
          if (v == null) {
            target.remove(k);
          } else {
            target.put(k, v);
          }
        });
        consents.computeIfAbsent(root, k -> new HashMap<>()).putAll(e.consents());
        e.groupId().ifPresent(g -> accounts.computeIfAbsent(root, k -> new HashSet<>()).add(g));
      }
      components.forEach((root, ids) -> {
        List<Event> es = byComponent.get(root);
        traits.put(ids, t.getOrDefault(root, Map.of()));
        rest.put(ids, List.of(consents.getOrDefault(root, Map.of()),
            accounts.getOrDefault(root, Set.of()), es.get(0).timestamp().orElseThrow(),
            es.get(es.size() - 1).timestamp().orElseThrow()));
      });
    }

    private Identifier find(Identifier i) {
      Identifier p = parent.get(i);
      return p.equals(i) ? i : find(p);
    }

    private void union(Identifier a, Identifier b) {
      Identifier ra = find(a);
      Identifier rb = find(b);
      if (!ra.equals(rb)) {
        parent.put(rb, ra);
      }
    }
  }
}
