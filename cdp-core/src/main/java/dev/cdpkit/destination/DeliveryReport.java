package dev.cdpkit.destination;

import static java.util.Objects.requireNonNull;

import dev.cdpkit.ProfileId;
import java.util.Map;

/**
 * What a destination made of one sync: the profiles it could not apply, and why; the rest were
 * applied. Immutable and thread-safe.
 *
 * @param failed profiles not applied (adds or removes), with the reason; tried again next sync
 */
public record DeliveryReport(Map<ProfileId, String> failed) {
  private static final DeliveryReport OK = new DeliveryReport(Map.of());

  /** Checks and copies the parts. */
  public DeliveryReport {
    failed = Map.copyOf(requireNonNull(failed, "failed"));
  }

  /** Everything was applied. */
  public static DeliveryReport ok() {
    return OK;
  }

  /** These profiles were not applied; the rest were. */
  public static DeliveryReport failed(Map<ProfileId, String> failed) {
    return new DeliveryReport(failed);
  }
}
