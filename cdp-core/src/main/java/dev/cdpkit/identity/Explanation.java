package dev.cdpkit.identity;

import static java.util.Objects.requireNonNull;

import dev.cdpkit.Identifier;
import dev.cdpkit.ProfileId;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Why a set of identifiers is one profile: which messages linked what and merged which profiles,
 * in time order, and which identifiers were left out and why. {@link #toString()} tells it in words.
 *
 * <p>Immutable and thread-safe.
 *
 * @param profile the profile explained
 * @param identifiers its identifiers now
 * @param links the merge log, in {@code (timestamp, messageId)} order
 * @param rejections identifiers its messages carried that were not linked
 */
public record Explanation(ProfileId profile, Set<Identifier> identifiers, List<IdentityLink> links,
    List<Rejection> rejections) {

  /** Copies the collections. */
  public Explanation {
    requireNonNull(profile, "profile");
    identifiers = Set.copyOf(identifiers);
    links = List.copyOf(links);
    rejections = List.copyOf(rejections);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Profile ").append(profile).append(" is ")
        .append(identifiers.stream().sorted().map(Identifier::toString)
            .collect(Collectors.joining(", ")))
        .append(".\n");
    for (IdentityLink l : links) {
      sb.append("  ").append(l.timestamp()).append("  message ").append(l.messageId())
          .append(" from ").append(l.source());
      if (!l.linked().isEmpty()) {
        sb.append(" linked ").append(l.linked().stream().sorted().map(Identifier::toString)
            .collect(Collectors.joining(", ")));
      }
      if (!l.merged().isEmpty()) {
        sb.append(l.linked().isEmpty() ? "" : " and").append(" merged profile")
            .append(l.merged().size() > 1 ? "s " : " ").append(l.merged().stream().sorted()
                .map(ProfileId::toString).collect(Collectors.joining(", ")));
      }
      sb.append('\n');
    }
    for (Rejection r : rejections) {
      sb.append("  not linked: ").append(r.identifier()).append(", ").append(r.reason())
          .append(" (first by message ").append(r.messageId()).append(" at ")
          .append(r.timestamp()).append(r.times() > 1 ? ", " + r.times() + " messages in all"
              : "").append(")\n");
    }
    return sb.toString();
  }
}
