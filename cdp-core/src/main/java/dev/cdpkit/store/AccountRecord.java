package dev.cdpkit.store;

import static java.util.Objects.requireNonNull;

import dev.cdpkit.Account;
import dev.cdpkit.TraitValue;
import java.util.HashMap;
import java.util.Map;

/**
 * An account as a store keeps it: its traits with provenance.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id the account id
 * @param traits per trait, the winning value (a {@code null} value: unset) and its provenance
 */
public record AccountRecord(String id, Map<String, TraitValue> traits) {

  /** Copies the traits. */
  public AccountRecord {
    requireNonNull(id, "id");
    traits = Map.copyOf(traits);
  }

  /** The public view of this account. */
  public Account toAccount() {
    Map<String, Object> t = new HashMap<>();
    traits.forEach((k, v) -> {
      if (v.value() != null) {
        t.put(k, v.value());
      }
    });
    return new Account(id, t);
  }
}
