package dev.cdpkit.jdbc;

import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The SQL that H2 and PostgreSQL do not share: only how a row is inserted or replaced. Detected
 * from the connection's metadata; {@link JdbcProfileStore.Builder#dialect} overrides it.
 *
 * <p>Immutable and thread-safe.
 */
public enum Dialect {
  /** H2 2.x, embedded (a file database) or in memory. */
  H2 {
    @Override
    String upsert(String table, List<String> keys, List<String> values) {
      return "MERGE INTO " + table + " (" + columns(keys, values) + ") KEY (" + String.join(", ",
          keys) + ") VALUES (" + marks(keys.size() + values.size()) + ")";
    }
  },
  /** PostgreSQL 12 or later. */
  POSTGRESQL {
    @Override
    String upsert(String table, List<String> keys, List<String> values) {
      String insert = "INSERT INTO " + table + " (" + columns(keys, values) + ") VALUES ("
          + marks(keys.size() + values.size()) + ") ON CONFLICT (" + String.join(", ", keys)
          + ") DO ";
      return values.isEmpty() ? insert + "NOTHING" : insert + "UPDATE SET " + values.stream()
          .map(v -> v + " = EXCLUDED." + v).collect(Collectors.joining(", "));
    }
  };

  /**
   * A statement that inserts a row, or replaces the values of the row with the same keys; its
   * parameters are the keys, then the values, in order. Table and column names are ours.
   */
  abstract String upsert(String table, List<String> keys, List<String> values);

  private static String columns(List<String> keys, List<String> values) {
    return String.join(", ", keys) + (values.isEmpty() ? "" : ", " + String.join(", ", values));
  }

  private static String marks(int n) {
    return String.join(", ", java.util.Collections.nCopies(n, "?"));
  }

  /**
   * The dialect of the database behind this metadata.
   *
   * @throws StoreException if it is neither H2 nor PostgreSQL
   */
  static Dialect of(DatabaseMetaData meta) throws SQLException {
    String product = meta.getDatabaseProductName();
    String name = product.toLowerCase(Locale.ROOT);
    if (name.contains("h2")) {
      return H2;
    }
    if (name.contains("postgres")) {
      return POSTGRESQL;
    }
    throw new StoreException("open the store", null, "the database is " + product
        + ", which cdpkit does not support; use H2 or PostgreSQL, or name the dialect with"
        + " JdbcProfileStore.builder(dataSource).dialect(...) if it speaks one of them");
  }
}
