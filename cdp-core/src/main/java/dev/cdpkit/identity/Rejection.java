package dev.cdpkit.identity;

import static java.util.Objects.requireNonNull;

import dev.cdpkit.Identifier;
import java.time.Instant;

/**
 * An identifier that messages of a profile carried but identity resolution did not link, why, and
 * how often.
 *
 * <p>Immutable and thread-safe.
 *
 * @param identifier the identifier left out
 * @param reason why the first message left it out
 * @param messageId the first message (by time) that left it out
 * @param timestamp when that message happened
 * @param times how many of the profile's messages left it out
 * @param blocked whether the rules reject it whatever the identity graph holds (a blocked value),
 *     so that no later message can change this rejection
 */
public record Rejection(Identifier identifier, String reason, String messageId,
    Instant timestamp, int times, boolean blocked) {

  /** Checks every part. */
  public Rejection {
    requireNonNull(identifier, "identifier");
    requireNonNull(reason, "reason");
    requireNonNull(messageId, "messageId");
    requireNonNull(timestamp, "timestamp");
    if (times < 1) {
      throw new IllegalArgumentException("times must be at least 1: " + times);
    }
  }
}
