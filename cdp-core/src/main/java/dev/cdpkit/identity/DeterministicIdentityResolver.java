package dev.cdpkit.identity;

import static java.util.Objects.requireNonNull;

import dev.cdpkit.Event;
import dev.cdpkit.Identifier;
import dev.cdpkit.IdentityRules;
import dev.cdpkit.ProfileId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Arrays;
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
    ProfileId[] profiles = new ProfileId[ordered.length];
    int profileCount = 0;
    Identifier[] linked = new Identifier[ordered.length];
    int linkedCount = 0;
    List<RejectedIdentifier> rejected = null;
    // Every identifier is on one profile or on none, so the kept profiles' identifiers and the
    // kept new identifiers never repeat one another: counting them per type is enough.
    TypeCounts kept = new TypeCounts();
    for (Identifier i : ordered) {
      String why = null;
      if (rules.isBlocked(i)) {
        why = "blocked value: the identity rules never match or merge " + i;
      } else {
        ProfileId p = graph.profileOf(i).orElse(null);
        boolean known = p != null && indexOf(profiles, profileCount, p) >= 0;
        if (!known) {
          Set<Identifier> adds = p != null ? graph.identifiers(p) : Set.of(i);
          if (kept.fits(adds, rules)) {
            kept.add(adds);
            if (p != null) {
              profiles[profileCount++] = p;
            }
          } else {
            why = reason(graph, Arrays.asList(profiles).subList(0, profileCount),
                Arrays.asList(linked).subList(0, linkedCount), adds);
          }
        }
      }
      if (why == null) {
        linked[linkedCount++] = i;
      } else {
        if (rejected == null) {
          rejected = new ArrayList<>(2);
        }
        rejected.add(new RejectedIdentifier(i, why));
      }
    }
    return new Resolution(Set.of(Arrays.copyOf(profiles, profileCount)),
        Set.of(Arrays.copyOf(linked, linkedCount)), rejected == null ? List.of() : rejected);
  }

  private static int indexOf(ProfileId[] ids, int count, ProfileId id) {
    for (int k = 0; k < count; k++) {
      if (ids[k].equals(id)) {
        return k;
      }
    }
    return -1;
  }

  /** Values per identifier type, for the types with a limit. Not thread-safe; one per call. */
  private static final class TypeCounts {
    private String[] types = new String[8];
    private int[] counts = new int[8];
    private int size;

    private int slot(String type) {
      for (int k = 0; k < size; k++) {
        if (types[k].equals(type)) {
          return k;
        }
      }
      return -1;
    }

    int count(String type) {
      int k = slot(type);
      return k < 0 ? 0 : counts[k];
    }

    /** Whether adding {@code ids} keeps every type within its limit. */
    boolean fits(Set<Identifier> ids, IdentityRules rules) {
      if (ids.size() == 1) {
        Identifier only = ids.iterator().next();
        return count(only.type()) + 1 <= rules.limit(only.type());
      }
      TypeCounts more = new TypeCounts();
      more.add(ids);
      for (int k = 0; k < more.size; k++) {
        if (count(more.types[k]) + more.counts[k] > rules.limit(more.types[k])) {
          return false;
        }
      }
      return true;
    }

    void add(Set<Identifier> ids) {
      for (Identifier a : ids) {
        int k = slot(a.type());
        if (k < 0) {
          if (size == types.length) {
            types = Arrays.copyOf(types, size * 2);
            counts = Arrays.copyOf(counts, size * 2);
          }
          k = size++;
          types[k] = a.type();
        }
        counts[k]++;
      }
    }
  }

  /**
   * Why {@code adds} does not fit with what is kept: every type over its limit, highest priority
   * first, with its values.
   */
  private String reason(IdentityGraph graph, List<ProfileId> profiles, List<Identifier> linked,
      Set<Identifier> adds) {
    Map<String, Set<String>> all = new HashMap<>(4);
    List<Identifier> union = new ArrayList<>(adds);
    for (ProfileId p : profiles) {
      union.addAll(graph.identifiers(p));
    }
    union.addAll(linked);
    for (Identifier a : union) {
      all.computeIfAbsent(a.type(), k -> new TreeSet<>()).add(a.value());
    }
    List<Identifier> over = new ArrayList<>(2);
    all.forEach((type, values) -> {
      if (values.size() > rules.limit(type)) {
        over.add(Identifier.of(type, values.iterator().next()));
      }
    });
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

  @Override
  public String toString() {
    return "DeterministicIdentityResolver{" + rules + "}";
  }
}
