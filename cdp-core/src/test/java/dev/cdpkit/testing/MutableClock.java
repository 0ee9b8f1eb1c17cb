package dev.cdpkit.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that tests move by hand. Thread-safe. */
public final class MutableClock extends Clock {
  private volatile Instant now;

  /** A clock showing {@code now}. */
  public MutableClock(Instant now) {
    this.now = now;
  }

  /** Sets the time. */
  public void set(Instant instant) {
    this.now = instant;
  }

  /** Moves the time by {@code d} (backwards when negative). */
  public void advance(Duration d) {
    this.now = now.plus(d);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return now;
  }
}
