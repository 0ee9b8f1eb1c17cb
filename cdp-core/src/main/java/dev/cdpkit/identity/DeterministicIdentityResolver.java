package dev.cdpkit.identity;

import static java.util.Objects.requireNonNull;

import dev.cdpkit.Event;
import dev.cdpkit.Identifier;
import dev.cdpkit.IdentityRules;
import dev.cdpkit.ProfileId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The default resolver: deterministic rules that never over-merge.
 *
 * <p>The message's identifiers are taken from highest priority to lowest ({@link
 * IdentityRules#compare}). A blocked one is rejected. Each other one is kept when the profile it
 * resolves to, together with everything kept so far, stays within every limit; otherwise it is
 * rejected and the next one is tried. The message then joins the profiles of the kept identifiers
 * (merging them when there are several) and links the kept identifiers. So when a message would
 * merge profiles beyond a limit, the lowest-priority identifier causing the conflict is the one
 * dropped, and two values of a limit-1 type never end up on one profile. The kept set is the
 * best one by priority: no other set within the limits keeps an identifier of higher priority.
 *
 * <p>Immutable and thread-safe.
 */
public final class DeterministicIdentityResolver implements IdentityResolver {
  private final IdentityRules rules;

  /** A resolver following {@code rules}. */
  public DeterministicIdentityResolver(IdentityRules rules) {
    this.rules = requireNonNull(rules, "rules");
  }

  /** The rules this resolver follows. */
  public IdentityRules rules() {
    return rules;
  }

  @Override
  public Resolution resolve(Event event, Set<Identifier> identifiers, IdentityGraph graph) {
    Identifier[] ordered = identifiers.toArray(new Identifier[0]);
    Arrays.sort(ordered, rules::compare);
    Set<ProfileId> profiles = new HashSet<>(4);
    Set<Identifier> linked = new HashSet<>(8);
    List<RejectedIdentifier> rejected = new ArrayList<>(0);
    Map<String, Set<String>> values = new HashMap<>(8);
    for (Identifier i : ordered) {
      if (rules.isBlocked(i)) {
        rejected.add(new RejectedIdentifier(i, "blocked value: the identity rules never match"
            + " or merge " + i));
        continue;
      }
      ProfileId p = graph.profileOf(i).orElse(null);
      boolean newProfile = p != null && !profiles.contains(p);
      Set<Identifier> adds = newProfile ? graph.identifiers(p) : Set.of(i);
      String conflict = conflict(values, adds, i);
      if (conflict != null) {
        rejected.add(new RejectedIdentifier(i, conflict));
        continue;
      }
      for (Identifier a : adds) {
        add(values, a);
      }
      add(values, i);
      if (newProfile) {
        profiles.add(p);
      }
      linked.add(i);
    }
    return new Resolution(profiles, linked, rejected);
  }

  /**
   * Why adding {@code adds} (and {@code i}) to {@code values} breaks limits, or null: every type
   * over its limit, highest priority first.
   */
  private String conflict(Map<String, Set<String>> values, Set<Identifier> adds, Identifier i) {
    Map<String, Set<String>> extra = null;
    for (Identifier a : adds) {
      extra = extra(values, a, extra);
    }
    if (!adds.contains(i)) {
      extra = extra(values, i, extra);
    }
    if (extra == null) {
      return null;
    }
    List<Identifier> over = new ArrayList<>(2);
    Map<String, Set<String>> all = new HashMap<>(2);
    extra.forEach((type, more) -> {
      Set<String> have = values.getOrDefault(type, Set.of());
      if (have.size() + more.size() > rules.limit(type)) {
        Set<String> union = new TreeSet<>(have);
        union.addAll(more);
        all.put(type, union);
        over.add(Identifier.of(type, union.iterator().next()));
      }
    });
    if (over.isEmpty()) {
      return null;
    }
    over.sort(rules::compare);
    StringBuilder sb = new StringBuilder("would put ");
    for (int k = 0; k < over.size(); k++) {
      String type = over.get(k).type();
      sb.append(k == 0 ? "" : "; ").append(all.get(type).size()).append(' ').append(type)
          .append(" values on one profile (limit ").append(rules.limit(type)).append("): ")
          .append(all.get(type));
    }
    return sb.toString();
  }

  /** Notes {@code a} in {@code extra} when it is a new value of a limited type. */
  private Map<String, Set<String>> extra(Map<String, Set<String>> values, Identifier a,
      Map<String, Set<String>> extra) {
    if (rules.limit(a.type()) == Integer.MAX_VALUE) {
      return extra;
    }
    Set<String> have = values.get(a.type());
    if (have != null && have.contains(a.value())) {
      return extra;
    }
    Map<String, Set<String>> out = extra == null ? new HashMap<>(4) : extra;
    out.computeIfAbsent(a.type(), k -> new HashSet<>(4)).add(a.value());
    return out;
  }

  private void add(Map<String, Set<String>> values, Identifier a) {
    if (rules.limit(a.type()) != Integer.MAX_VALUE) {
      values.computeIfAbsent(a.type(), k -> new HashSet<>(4)).add(a.value());
    }
  }

  @Override
  public String toString() {
    return "DeterministicIdentityResolver{" + rules + "}";
  }
}
