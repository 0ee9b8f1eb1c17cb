package dev.cdpkit;

/**
 * A registered listener; {@link #close()} unregisters it (idempotent). Thread-safe.
 */
public interface Subscription extends AutoCloseable {
  /** Stops the listener from being called again. */
  @Override
  void close();
}
