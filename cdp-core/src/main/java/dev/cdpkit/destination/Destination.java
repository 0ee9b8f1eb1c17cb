package dev.cdpkit.destination;

/**
 * A tool an audience is sent to: an email tool, an in-app chat, an ad network. The {@code Cdp}
 * hands it each sync of an audience bound to it ({@code Cdp.addAudience}): everything on the
 * first sync, afterwards only the profiles to add and to remove since the last successful one.
 *
 * <p>Deliveries are at least once: a sync whose outcome is unknown (the destination threw, or
 * took longer than the audience's timeout) is sent again, whole or in part, by the next sync, so
 * apply adds and removes idempotently. Implementations are called from one thread at a time per
 * audience, but several audiences may share one destination: make it thread-safe if they do.
 */
public interface Destination {
  /**
   * The consent purpose the destination serves ({@code "marketing"}, {@code "analytics"}, ...):
   * a profile that has not granted it is never sent, and is removed when it withdraws it.
   */
  String purpose();

  /**
   * The contact channel its messages go out on ({@code "email"}, {@code "push"},
   * {@code "in_app"}, {@code "ads"}): a frequency cap on the channel keeps capped profiles out,
   * and of several audiences on one channel a profile is sent to the highest-priority one only.
   */
  String channel();

  /**
   * Applies one sync. Returns which profiles it could not apply (they are tried again next
   * time); throwing fails the whole sync, which is then tried again whole.
   *
   * @throws Exception when the destination cannot take the sync at all
   */
  DeliveryReport deliver(AudienceSync sync) throws Exception;
}
