package dev.cdpkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.cdpkit.ProfileId;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Migrations, versions, validation, dialects and how database errors surface. */
class SchemaTest {
  @TempDir
  Path dir;
  private HikariDataSource ds;

  @BeforeEach
  void open() {
    ds = Databases.h2(dir);
  }

  @AfterEach
  void close() {
    ds.close();
  }

  private int version() throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT MAX(version), COUNT(*) FROM cdp_schema_version")) {
      r.next();
      assertThat(r.getInt(2)).as("one row per applied version").isEqualTo(r.getInt(1));
      return r.getInt(1);
    }
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  @Test
  void aNewDatabaseGetsTheSchemaOnceAndRecordsItsVersion() throws SQLException {
    JdbcProfileStore store = JdbcProfileStore.create(ds);
    assertThat(store.dialect()).isEqualTo(Dialect.H2);
    assertThat(version()).isEqualTo(JdbcProfileStore.SCHEMA_VERSION);
    JdbcProfileStore.create(ds);
    assertThat(version()).isEqualTo(JdbcProfileStore.SCHEMA_VERSION);
  }

  @Test
  void aSchemaNewerThanThisVersionKnowsIsRefused() throws SQLException {
    JdbcProfileStore.create(ds);
    execute("INSERT INTO cdp_schema_version VALUES (99, 'from the future', CURRENT_TIMESTAMP)");
    assertThatThrownBy(() -> JdbcProfileStore.create(ds))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("schema is at version 99, newer than this cdpkit knows ("
            + JdbcProfileStore.SCHEMA_VERSION + ")");
  }

  @Test
  void validateOnlyMigratesNothingAndSaysWhatToApply() throws SQLException {
    assertThatThrownBy(() -> JdbcProfileStore.builder(ds).validateOnly().build())
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("at version 0 and this cdpkit needs "
            + JdbcProfileStore.SCHEMA_VERSION)
        .hasMessageContaining("V1__cdpkit_schema.sql, V2__index_snapshot.sql,"
            + " V3__forget_and_audiences.sql from dev/cdpkit/jdbc/migration/");
    // what a Flyway run of the shipped scripts leaves
    for (String script : Schema.scripts()) {
      for (String sql : Schema.statements(Schema.read(script))) {
        execute(sql);
      }
    }
    JdbcProfileStore store = JdbcProfileStore.builder(ds).validateOnly().build();
    assertThat(store.profileCount()).isZero();
    assertThat(version()).isEqualTo(JdbcProfileStore.SCHEMA_VERSION);
  }

  @Test
  void aDatabaseAtVersionOneIsMigratedWithItsData() throws SQLException {
    for (String sql : Schema.statements(Schema.read("V1__cdpkit_schema.sql"))) {
      execute(sql);
    }
    execute("INSERT INTO cdp_segment (name, seq, expression) VALUES (X'6f6c64', 1, X'6c7476203e2031')");
    assertThatThrownBy(() -> JdbcProfileStore.builder(ds).validateOnly().build())
        .hasMessageContaining("apply V2__index_snapshot.sql, V3__forget_and_audiences.sql from");
    JdbcProfileStore store = JdbcProfileStore.create(ds);
    assertThat(version()).isEqualTo(JdbcProfileStore.SCHEMA_VERSION);
    assertThat(store.segments()).containsEntry("old", "ltv > 1");
    assertThat(store.snapshot()).isEmpty();
    store.putSegment("new", "ltv > 2");
    assertThat(store.segments()).containsKeys("old", "new");
  }

  @Test
  void theDialectCanBeNamed() {
    assertThat(JdbcProfileStore.builder(ds).dialect(Dialect.H2).build().dialect())
        .isEqualTo(Dialect.H2);
  }

  @Test
  void databaseErrorsSayWhatTheStoreWasDoingWithTheSqlState() throws SQLException {
    JdbcProfileStore store = JdbcProfileStore.create(ds);
    execute("DROP TABLE cdp_profile");
    assertThatThrownBy(() -> store.profile(ProfileId.of("p1")))
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith("could not read profile p1: ")
        .satisfies(e -> {
          StoreException s = (StoreException) e;
          assertThat(s.operation()).isEqualTo("read profile p1");
          assertThat(s.sqlState()).hasValue("42S02"); // table not found
        });
  }

  @Test
  void anUnreachableDatabaseIsAStoreException() {
    org.postgresql.ds.PGSimpleDataSource gone = new org.postgresql.ds.PGSimpleDataSource();
    gone.setURL("jdbc:postgresql://127.0.0.1:1/none");
    assertThatThrownBy(() -> JdbcProfileStore.create(gone))
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith("could not open the store: ")
        .satisfies(e -> assertThat(((StoreException) e).sqlState()).hasValue("08001"));
  }
}
