package dev.cdpkit.identity;

import static java.util.Objects.requireNonNull;

import dev.cdpkit.Identifier;

/**
 * An identifier of a message that identity resolution did not use to match or link, and why.
 *
 * <p>Immutable and thread-safe.
 *
 * @param identifier the identifier left out
 * @param reason why, in words a person can act on
 */
public record RejectedIdentifier(Identifier identifier, String reason) {

  /** Checks both are present. */
  public RejectedIdentifier {
    requireNonNull(identifier, "identifier");
    requireNonNull(reason, "reason");
  }
}
