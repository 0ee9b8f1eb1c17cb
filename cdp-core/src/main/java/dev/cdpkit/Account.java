package dev.cdpkit;

import static java.util.Objects.requireNonNull;

import dev.cdpkit.internal.Values;
import java.util.Map;
import java.util.Optional;

/**
 * A B2B account (a Segment {@code group}) with its own traits. A profile may belong to several.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id the account id (the Spec's {@code groupId})
 * @param traits the account's traits: String, Long, Double, Boolean, List or Map values
 */
public record Account(String id, Map<String, Object> traits) {

  /** Copies the traits; the id must not be blank. */
  public Account {
    requireNonNull(id, "id");
    if (id.isBlank()) {
      throw new IllegalArgumentException("account id is blank");
    }
    traits = Map.copyOf(traits);
  }

  /** The trait at a dotted path such as {@code address.city}. */
  public Optional<Object> trait(String path) {
    return Values.path(traits, requireNonNull(path, "path"));
  }
}
