package dev.cdpkit;

import java.util.Locale;
import java.util.Optional;

/** The Segment Spec message types. Immutable. */
public enum EventType {
  /** Who the user is, and their traits. */
  IDENTIFY,
  /** Something the user did: a named event with properties. */
  TRACK,
  /** A web page view, optionally named. */
  PAGE,
  /** A mobile screen view, optionally named. */
  SCREEN,
  /** The user belongs to an account (B2B group), with the account's traits. */
  GROUP,
  /** Two ids are the same user ({@code previousId} and {@code userId}). */
  ALIAS;

  /** The lower-case name used in the Spec's {@code type} field. */
  public String specName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The type with this Spec name, case-insensitively; empty for anything else. */
  public static Optional<EventType> fromSpecName(String name) {
    for (EventType t : values()) {
      if (t.specName().equalsIgnoreCase(name)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
