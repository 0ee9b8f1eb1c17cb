package dev.cdpkit;

import static java.util.Objects.requireNonNull;

import dev.cdpkit.destination.Destination;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A segment bound to a destination: who is sent (the segment's members who granted the
 * destination's consent purpose, are not capped on its channel and do not belong to a
 * higher-priority audience on that channel) and which of their identifiers go, as they are or
 * hashed. Register it with {@link Cdp#addAudience}, then {@link Cdp#sync} it.
 *
 * <p>Immutable and thread-safe; {@link Builder} is not.
 */
public final class Audience {
  private final String name;
  private final String segment;
  private final Destination destination;
  private final List<String> identifiers;
  private final List<String> hashed;
  private final int priority;
  private final Duration timeout;

  private Audience(Builder b) {
    this.name = b.name;
    this.segment = b.segment;
    this.destination = b.destination;
    this.identifiers = List.copyOf(b.identifiers);
    this.hashed = List.copyOf(b.hashed);
    this.priority = b.priority;
    this.timeout = b.timeout;
  }

  /**
   * Starts an audience named {@code name} (what the store keeps its sync state under) of the
   * defined segment {@code segment}, sent to {@code destination}.
   */
  public static Builder builder(String name, String segment, Destination destination) {
    return new Builder(name, segment, destination);
  }

  /** The audience's name. */
  public String name() {
    return name;
  }

  /** The segment whose members it sends. */
  public String segment() {
    return segment;
  }

  /** Where it is sent. */
  public Destination destination() {
    return destination;
  }

  /** The identifier types sent as they are. */
  public List<String> identifiers() {
    return identifiers;
  }

  /** The identifier types sent as SHA-256 digests. */
  public List<String> hashed() {
    return hashed;
  }

  /** Its priority on its channel: the highest gets a profile several audiences want. */
  public int priority() {
    return priority;
  }

  /** How long a sync waits for the destination before counting it failed. */
  public Duration timeout() {
    return timeout;
  }

  @Override
  public String toString() {
    return "Audience{" + name + ": segment " + segment + " to " + destination + "}";
  }

  /** Configures an {@link Audience}. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private final String segment;
    private final Destination destination;
    private final List<String> identifiers = new ArrayList<>();
    private final List<String> hashed = new ArrayList<>();
    private int priority;
    private Duration timeout = Duration.ofSeconds(30);

    private Builder(String name, String segment, Destination destination) {
      this.name = requireNonNull(name, "name");
      this.segment = requireNonNull(segment, "segment");
      this.destination = requireNonNull(destination, "destination");
      if (name.isBlank() || segment.isBlank()) {
        throw new IllegalArgumentException("an audience needs a name and a segment");
      }
    }

    /** Sends these identifier types as they are (for example {@code "email"}). */
    public Builder identifiers(String... types) {
      identifiers.addAll(List.of(types));
      return this;
    }

    /**
     * Sends these identifier types hashed, as ad networks match them (see
     * {@link dev.cdpkit.destination.PiiHash}), under {@code type + "_sha256"}.
     */
    public Builder hashed(String... types) {
      hashed.addAll(List.of(types));
      return this;
    }

    /** Its priority on its channel (default 0); ties go to the alphabetically first name. */
    public Builder priority(int priority) {
      this.priority = priority;
      return this;
    }

    /** How long a sync waits for the destination (default 30 s). */
    public Builder timeout(Duration timeout) {
      requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("a timeout is positive: " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Builds the audience.
     *
     * @throws IllegalArgumentException if it sends no identifier
     */
    public Audience build() {
      if (identifiers.isEmpty() && hashed.isEmpty()) {
        throw new IllegalArgumentException("audience '" + name + "' sends no identifier: name"
            + " the types with identifiers(...) or hashed(...)");
      }
      return new Audience(this);
    }
  }
}
