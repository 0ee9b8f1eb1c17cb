package dev.cdpkit;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A trait's value with its provenance: the message that set it, when, and from which source. Per
 * trait, the value from the message with the greatest {@code (timestamp, messageId)} wins.
 *
 * <p>Immutable and thread-safe.
 *
 * @param value the value (String, Long, Double, Boolean, List or Map), or {@code null} when the
 *     winning message unset the trait
 * @param timestamp when the winning message happened
 * @param messageId the winning message
 * @param source the system the winning message came from
 */
public record TraitValue(Object value, Instant timestamp, String messageId, String source) {

  /** Checks that provenance is complete. */
  public TraitValue {
    requireNonNull(timestamp, "timestamp");
    requireNonNull(messageId, "messageId");
    requireNonNull(source, "source");
  }

  /**
   * Whether a message at {@code (otherTimestamp, otherMessageId)} wins over this value: it is later,
   * or equally late with a greater message id.
   */
  public boolean losesTo(Instant otherTimestamp, String otherMessageId) {
    int c = otherTimestamp.compareTo(timestamp);
    return c > 0 || (c == 0 && otherMessageId.compareTo(messageId) > 0);
  }
}
