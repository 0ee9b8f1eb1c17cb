package dev.cdpkit;

import static java.util.Objects.requireNonNull;

/**
 * The stable public id of a unified profile: an opaque string. When profiles merge, the surviving
 * profile keeps its id and the others' ids resolve to it ({@link Cdp#profile(ProfileId)}).
 *
 * <p>Immutable and thread-safe; equal by value.
 *
 * @param value the opaque id text
 */
public record ProfileId(String value) implements Comparable<ProfileId> {

  /** Checks that the value is not blank. */
  public ProfileId {
    requireNonNull(value, "value");
    if (value.isBlank()) {
      throw new IllegalArgumentException("profile id is blank");
    }
  }

  /** Returns the profile id with this text. */
  public static ProfileId of(String value) {
    return new ProfileId(value);
  }

  @Override
  public int compareTo(ProfileId o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
