package dev.cdpkit.store;

import static java.util.Objects.requireNonNull;

import dev.cdpkit.Event;
import java.time.Instant;

/**
 * The order of messages: by timestamp, ties broken by message id. Profiles are a function of the
 * set of messages applied in this order.
 *
 * <p>Immutable and thread-safe.
 *
 * @param timestamp when the message happened
 * @param messageId the message's deduplication key
 */
public record EventKey(Instant timestamp, String messageId) implements Comparable<EventKey> {

  /** Checks both parts are present. */
  public EventKey {
    requireNonNull(timestamp, "timestamp");
    requireNonNull(messageId, "messageId");
  }

  /**
   * The key of a stamped event.
   *
   * @throws IllegalArgumentException if the event has no timestamp yet
   */
  public static EventKey of(Event event) {
    return new EventKey(event.timestamp().orElseThrow(() -> new IllegalArgumentException(
        "event " + event.messageId() + " has no timestamp")), event.messageId());
  }

  @Override
  public int compareTo(EventKey o) {
    int c = timestamp.compareTo(o.timestamp);
    return c != 0 ? c : messageId.compareTo(o.messageId);
  }
}
