package dev.cdpkit.identity;

import dev.cdpkit.Event;
import dev.cdpkit.Identifier;
import dev.cdpkit.ProfileId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Links everything: see {@link IdentityResolver#linkAll()}. Stateless. */
final class LinkAllResolver implements IdentityResolver {
  static final LinkAllResolver INSTANCE = new LinkAllResolver();

  private LinkAllResolver() {}

  @Override
  public Resolution resolve(Event event, Set<Identifier> identifiers, IdentityGraph graph) {
    Set<ProfileId> profiles = new HashSet<>(4);
    for (Identifier i : identifiers) {
      graph.profileOf(i).ifPresent(profiles::add);
    }
    return new Resolution(profiles, identifiers, List.of());
  }

  @Override
  public String toString() {
    return "IdentityResolver.linkAll()";
  }
}
