package dev.cdpkit.identity;

import dev.cdpkit.Event;
import dev.cdpkit.Identifier;
import java.util.Set;

/**
 * Decides, for each incoming message, which profile it belongs to, which profiles merge, and which
 * of its identifiers are rejected and why. Pass one to {@code Cdp.builder().identityResolver(...)}.
 *
 * <p>A resolver must be deterministic: the same message and graph give the same resolution. A
 * message whose every identifier already resolves to one profile must join that profile and
 * reject nothing (there is nothing to link or merge); {@link dev.cdpkit.Cdp} relies on this and
 * does not ask the resolver about such messages.
 * {@link dev.cdpkit.Cdp} applies messages in {@code (timestamp, messageId)} order (re-applying a
 * part of the graph when a message arrives late), so a deterministic resolver gives profiles that
 * do not depend on arrival order.
 *
 * <p>Implementations are called from one thread at a time but must be safe to publish across
 * threads (keep no mutable state, or guard it).
 */
@FunctionalInterface
public interface IdentityResolver {

  /**
   * Resolves one message.
   *
   * @param event the message (stamped with its timestamp)
   * @param identifiers the message's identifiers, including an alias call's {@code previousId} as
   *     the identifier it was looked up as
   * @param graph the identity graph just before this message
   * @return which profiles the message joins and which identifiers it links
   */
  Resolution resolve(Event event, Set<Identifier> identifiers, IdentityGraph graph);

  /**
   * The resolver that links every identifier of a message into one profile, merging every profile
   * the message bridges (a union-find over identifiers). It never refuses a link: a shared device
   * id or a placeholder email glues profiles together.
   */
  static IdentityResolver linkAll() {
    return LinkAllResolver.INSTANCE;
  }
}
