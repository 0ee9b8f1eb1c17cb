package dev.cdpkit.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's schema: the shipped migration scripts, the version the database is at (the
 * highest row of {@code cdp_schema_version}, which each script inserts itself, so that Flyway
 * runs leave it too), and bringing it up to date.
 */
final class Schema {
  private static final Logger LOG = LoggerFactory.getLogger(Schema.class);
  /** The shipped scripts; script {@code i} brings the schema to version {@code i + 1}. */
  private static final String[] SCRIPTS = {"V1__cdpkit_schema.sql", "V2__index_snapshot.sql",
      "V3__forget_and_audiences.sql"};
  /** The version the scripts bring the schema to. */
  static final int VERSION = SCRIPTS.length;
  static final String LOCATION = "dev/cdpkit/jdbc/migration/";

  /** The shipped scripts, in order. */
  static List<String> scripts() {
    return List.of(SCRIPTS);
  }

  private Schema() {}

  /**
   * Detects (or takes) the dialect and brings the schema to {@link JdbcProfileStore#SCHEMA_VERSION},
   * or with {@code validateOnly} checks that it is there.
   */
  static Dialect open(DataSource dataSource, Dialect override, boolean validateOnly) {
    try (Connection c = dataSource.getConnection()) {
      Dialect dialect = override != null ? override : Dialect.of(c.getMetaData());
      int current = version(c);
      int wanted = VERSION;
      if (current > wanted) {
        throw new StoreException("open the store", null, "the database's cdpkit schema is at"
            + " version " + current + ", newer than this cdpkit knows (" + wanted + "); use the"
            + " cdpkit version that wrote it, or a later one");
      }
      if (current < wanted) {
        if (validateOnly) {
          throw new StoreException("open the store", null, "the database's cdpkit schema is at"
              + " version " + current + " and this cdpkit needs " + wanted + "; apply "
              + String.join(", ", pending(current)) + " from " + LOCATION + " in the"
              + " cdp-jdbc-store jar, or build the store without validateOnly() to let it"
              + " migrate");
        }
        for (int v = current + 1; v <= wanted; v++) {
          apply(c, v);
        }
      }
      if (dialect == Dialect.H2) {
        durableCommits(c);
      }
      return dialect;
    } catch (SQLException e) {
      throw new StoreException("open the store", e);
    }
  }

  private static List<String> pending(int current) {
    List<String> out = new ArrayList<>();
    for (int v = current + 1; v <= VERSION; v++) {
      out.add(SCRIPTS[v - 1]);
    }
    return out;
  }

  /** The schema version the database is at; 0 when it has no cdpkit tables. */
  private static int version(Connection c) throws SQLException {
    if (!hasVersionTable(c)) {
      return 0;
    }
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT MAX(version) FROM cdp_schema_version")) {
      return r.next() ? r.getInt(1) : 0;
    }
  }

  private static boolean hasVersionTable(Connection c) throws SQLException {
    for (String name : new String[] {"cdp_schema_version", "CDP_SCHEMA_VERSION"}) {
      try (ResultSet r = c.getMetaData().getTables(null, null, name, new String[] {"TABLE"})) {
        if (r.next()) {
          return true;
        }
      }
    }
    return false;
  }

  private static void apply(Connection c, int version) throws SQLException {
    String script = SCRIPTS[version - 1];
    LOG.info("cdpkit: applying schema migration {}", script);
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      for (String sql : statements(read(script))) {
        s.execute(sql);
      }
      c.commit();
    } catch (SQLException e) {
      c.rollback();
      throw new StoreException("apply schema migration " + script, e);
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }

  /** The text of a shipped script. */
  static String read(String script) {
    try (InputStream in = Schema.class.getClassLoader().getResourceAsStream(LOCATION + script)) {
      if (in == null) {
        throw new IllegalStateException("the cdp-jdbc-store jar lacks " + LOCATION + script);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The statements of a script: comment lines dropped, split at each {@code ;} ending a line. */
  static List<String> statements(String script) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\n")) {
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("--")) {
        continue;
      }
      current.append(line).append('\n');
      if (t.endsWith(";")) {
        String sql = current.toString().strip();
        out.add(sql.substring(0, sql.length() - 1));
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      out.add(current.toString().strip());
    }
    return out;
  }

  /**
   * H2 writes committed changes to its file up to half a second later by default; a process
   * killed in between loses them. The store asks for each commit to be written as it happens.
   */
  private static void durableCommits(Connection c) {
    try (Statement s = c.createStatement()) {
      s.execute("SET WRITE_DELAY 0");
    } catch (SQLException e) {
      LOG.warn("cdpkit: could not SET WRITE_DELAY 0 on H2 ({}); commits of the last half second"
          + " may be lost if the process dies", e.getMessage());
    }
  }
}
