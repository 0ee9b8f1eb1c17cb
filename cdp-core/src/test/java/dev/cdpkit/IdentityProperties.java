package dev.cdpkit;

import static dev.cdpkit.testing.PropertyCheck.forAllLists;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cdpkit.identity.Explanation;
import dev.cdpkit.testing.IdentityMessageGenerator;
import dev.cdpkit.testing.PropertyCheck;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The laws of identity resolution under rules with limits and blocked values: order independence,
 * idempotence, limits kept with the highest-priority identifiers (against a brute-force oracle),
 * blocked values never merge, spelling does not matter, and a split equals never having seen the
 * removed identifier.
 */
class IdentityProperties {
  private static final IdentityRules RULES = IdentityMessageGenerator.RULES;

  /** Profiles, accounts, and each profile's merge log and rejections. */
  record IdentityState(IngestionProperties.State state, Map<ProfileId, Explanation> explanations) {}

  static Cdp cdp() {
    return Cdp.builder().identityRules(RULES).build();
  }

  static IdentityState state(Cdp cdp, List<Event> messages) {
    IngestionProperties.State s = IngestionProperties.state(cdp, messages);
    Map<ProfileId, Explanation> explanations = new TreeMap<>();
    for (Profile p : s.profiles()) {
      explanations.put(p.id(), cdp.explain(p.id()).orElseThrow());
    }
    return new IdentityState(s, explanations);
  }

  static IdentityState ingest(List<Event> messages) {
    Cdp cdp = cdp();
    messages.forEach(cdp::ingest);
    return state(cdp, messages);
  }

  @Test
  void anyArrivalOrderGivesTheSameProfilesLinksAndRejections() {
    forAllLists(r -> IdentityMessageGenerator.messages(r, 12), messages -> {
      // the generated order is itself a random arrival order, which shrinking keeps
      IdentityState expected = ingest(IngestionProperties.sorted(messages));
      assertThat(ingest(messages)).as("as generated").isEqualTo(expected);
      List<Event> reversed = new ArrayList<>(messages);
      Collections.reverse(reversed);
      assertThat(ingest(reversed)).as("reversed").isEqualTo(expected);
    });
  }

  @Test
  void ingestingAgainChangesNothingNotEvenTheMergeCount() {
    forAllLists(r -> IdentityMessageGenerator.messages(r, 12), messages -> {
      Cdp cdp = cdp();
      messages.forEach(cdp::ingest);
      IdentityState once = state(cdp, messages);
      int mergesAgain = 0;
      for (Event e : messages) {
        IngestResult again = cdp.ingest(e);
        assertThat(again.duplicates()).isEqualTo(1);
        mergesAgain += again.messages().get(0).merged().size();
      }
      assertThat(mergesAgain).isZero();
      assertThat(state(cdp, messages)).isEqualTo(once);
    });
  }

  @Test
  void limitsHoldAndTheHighestPriorityIdentifiersAreKept() {
    forAllLists(r -> IdentityMessageGenerator.messages(r, 10), messages -> {
      Cdp cdp = cdp();
      List<Event> shuffled = new ArrayList<>(messages);
      Collections.shuffle(shuffled, new Random(11));
      shuffled.forEach(cdp::ingest);
      Set<Set<Identifier>> partition = new HashSet<>();
      Map<Set<Identifier>, Set<Identifier>> rejected = new HashMap<>();
      cdp.forEachProfile(p -> {
        partition.add(p.identifiers());
        Map<String, Integer> perType = new HashMap<>();
        p.identifiers().forEach(i -> perType.merge(i.type(), 1, Integer::sum));
        perType.forEach((type, n) -> assertThat(n).as("%s in %s", type, p)
            .isLessThanOrEqualTo(RULES.limit(type)));
        Set<Identifier> r = new HashSet<>();
        cdp.explain(p.id()).orElseThrow().rejections().forEach(x -> r.add(x.identifier()));
        rejected.put(p.identifiers(), r);
      });
      BruteForce oracle = new BruteForce(messages);
      assertThat(partition).isEqualTo(oracle.partition());
      assertThat(rejected).isEqualTo(oracle.rejectedByProfile());
    });
  }

  @Test
  void aBlockedValueNeverMatchesOrMerges() {
    forAllLists(r -> IdentityMessageGenerator.messages(r, 12), messages -> {
      Cdp cdp = cdp();
      messages.forEach(cdp::ingest);
      cdp.forEachProfile(p -> p.identifiers().forEach(i ->
          assertThat(RULES.isBlocked(i)).as("%s on %s", i, p).isFalse()));
      assertThat(cdp.profile(Identifier.of("email", "test@test.com"))).isEmpty();
      assertThat(cdp.profile(Identifier.of("user_id", "null"))).isEmpty();
    });
  }

  @Test
  void equivalentSpellingsResolveTheSame() {
    PropertyCheck.forAll(200, r -> r.nextLong(), seed -> List.of(), seed -> {
      List<Event> canonical = IdentityMessageGenerator.messages(new Random(seed), 12, false);
      List<Event> respelled = IdentityMessageGenerator.messages(new Random(seed), 12, true);
      assertThat(ingest(respelled)).isEqualTo(ingest(canonical));
    });
  }

  @Test
  void aSplitEqualsNeverHavingSeenTheRemovedIdentifier() {
    forAllLists(r -> IdentityMessageGenerator.messages(r, 12), messages -> {
      Cdp cdp = cdp();
      messages.forEach(cdp::ingest);
      List<Identifier> linked = new ArrayList<>();
      cdp.forEachProfile(p -> linked.addAll(p.identifiers()));
      if (linked.isEmpty()) {
        return;
      }
      Collections.sort(linked);
      Identifier removed = linked.get(new Random(messages.size()).nextInt(linked.size()));
      Set<ProfileId> holders = cdp.removeIdentifier(removed);
      Cdp neverSaw = cdp();
      neverSaw.removeIdentifier(removed);
      messages.forEach(neverSaw::ingest);
      assertThat(state(cdp, messages)).as("after removing %s", removed)
          .isEqualTo(state(neverSaw, messages));
      assertThat(cdp.profile(removed)).isEmpty();
      for (ProfileId h : holders) {
        assertThat(cdp.profile(h)).isPresent();
      }
    });
  }

  /**
   * An independent model: messages in (timestamp, messageId) order; for each, every subset of its
   * usable identifiers is tried and the best by priority within the limits is kept.
   */
  static final class BruteForce {
    private final Map<Identifier, Integer> profileOf = new HashMap<>();
    private final Map<Integer, Set<Identifier>> members = new HashMap<>();
    private final Map<Integer, Set<Identifier>> rejected = new HashMap<>();
    private int next;

    BruteForce(List<Event> messages) {
      for (Event e : IngestionProperties.sorted(messages)) {
        List<Identifier> ids = new ArrayList<>(e.identifiers());
        e.previousId().ifPresent(prev -> {
          Identifier asUser = Identifier.of("user_id", prev);
          Identifier p = profileOf.containsKey(asUser) ? asUser : Identifier.of("anonymous_id", prev);
          if (!ids.contains(p)) {
            ids.add(p);
          }
        });
        List<Identifier> usable = new ArrayList<>();
        Set<Identifier> left = new HashSet<>();
        for (Identifier i : ids) {
          if (RULES.isBlocked(i)) {
            left.add(i);
          } else {
            usable.add(i);
          }
        }
        usable.sort(RULES::compare);
        Set<Identifier> best = null;
        for (int mask = 0; mask < (1 << usable.size()); mask++) {
          Set<Identifier> s = new HashSet<>();
          for (int b = 0; b < usable.size(); b++) {
            if ((mask & (1 << b)) != 0) {
              s.add(usable.get(b));
            }
          }
          if (feasible(s) && (best == null || better(s, best, usable))) {
            best = s;
          }
        }
        for (Identifier i : usable) {
          if (!best.contains(i)) {
            left.add(i);
          }
        }
        if (best.isEmpty()) {
          continue; // no profile: the message is unresolved
        }
        Set<Integer> joined = new HashSet<>();
        for (Identifier i : best) {
          if (profileOf.containsKey(i)) {
            joined.add(profileOf.get(i));
          }
        }
        int target = next++;
        Set<Identifier> all = new HashSet<>(best);
        Set<Identifier> rej = new HashSet<>(left);
        for (int j : joined) {
          all.addAll(members.remove(j));
          rej.addAll(rejected.remove(j));
        }
        all.forEach(i -> profileOf.put(i, target));
        members.put(target, all);
        rejected.put(target, rej);
      }
    }

    private boolean feasible(Set<Identifier> s) {
      Set<Identifier> union = new HashSet<>(s);
      for (Identifier i : s) {
        Integer p = profileOf.get(i);
        if (p != null) {
          union.addAll(members.get(p));
        }
      }
      Map<String, Integer> perType = new HashMap<>();
      union.forEach(i -> perType.merge(i.type(), 1, Integer::sum));
      return perType.entrySet().stream().allMatch(e -> e.getValue() <= RULES.limit(e.getKey()));
    }

    /** Whether {@code a} keeps a higher-priority identifier than {@code b} where they first differ. */
    private static boolean better(Set<Identifier> a, Set<Identifier> b, List<Identifier> order) {
      for (Identifier i : order) {
        if (a.contains(i) != b.contains(i)) {
          return a.contains(i);
        }
      }
      return false;
    }

    Set<Set<Identifier>> partition() {
      return new HashSet<>(members.values());
    }

    Map<Set<Identifier>, Set<Identifier>> rejectedByProfile() {
      Map<Set<Identifier>, Set<Identifier>> out = new HashMap<>();
      members.forEach((p, ids) -> out.put(ids, rejected.get(p)));
      return out;
    }
  }
}
