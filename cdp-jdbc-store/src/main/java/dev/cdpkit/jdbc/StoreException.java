package dev.cdpkit.jdbc;

import java.sql.SQLException;
import java.util.Optional;

/**
 * The database refused or failed what the store was doing. The message says what that was (
 * "commit a message's changes", "read the events of profile p-1") and what the database said;
 * {@link #sqlState()} gives the SQLState when the database reported one. After a failed
 * commit nothing of that transaction is visible.
 *
 * <p>Immutable and thread-safe.
 */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String operation;
  private final String sqlState;

  StoreException(String operation, SQLException cause) {
    super("could not " + operation + ": " + cause.getMessage()
        + (cause.getSQLState() != null ? " (SQLState " + cause.getSQLState() + ")" : ""), cause);
    this.operation = operation;
    this.sqlState = cause.getSQLState();
  }

  StoreException(String operation, String sqlState, String problem) {
    super("could not " + operation + ": " + problem);
    this.operation = operation;
    this.sqlState = sqlState;
  }

  /** What the store was doing, such as {@code "commit a message's changes"}. */
  public String operation() {
    return operation;
  }

  /** The SQLState the database reported, such as {@code 23505}, when there was one. */
  public Optional<String> sqlState() {
    return Optional.ofNullable(sqlState);
  }
}
