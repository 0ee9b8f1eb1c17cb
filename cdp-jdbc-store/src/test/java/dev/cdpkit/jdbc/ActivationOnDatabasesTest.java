package dev.cdpkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.cdpkit.Audience;
import dev.cdpkit.Cdp;
import dev.cdpkit.DeletionReport;
import dev.cdpkit.Event;
import dev.cdpkit.Identifier;
import dev.cdpkit.ProfileId;
import dev.cdpkit.SyncReport;
import dev.cdpkit.destination.InMemoryDestination;
import dev.cdpkit.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Audiences and forgetting on the databases: what each destination was sent survives a restart,
 * and after {@code forget} and a sync no table holds anything of the person.
 */
class ActivationOnDatabasesTest {
  private static final String MARKER = "jane-marker-91c2";

  @TempDir
  Path dir;

  private final MutableClock clock = new MutableClock(Scenario.NOW);
  private final InMemoryDestination email = new InMemoryDestination("marketing", "email");
  private final InMemoryDestination ads = new InMemoryDestination("marketing", "ads");

  @Test
  void onH2() throws SQLException {
    check(() -> Databases.h2(dir));
  }

  @Test
  void onPostgres() throws SQLException {
    check(Databases::postgresDatabase);
  }

  private Cdp open(HikariDataSource ds) {
    Cdp cdp = Cdp.builder().store(JdbcProfileStore.create(ds)).clock(clock).build();
    if (cdp.segment("reachable").isEmpty()) {
      cdp.defineSegment("reachable", "has email and count(\"Feature Used\" within 30d) >= 1");
    }
    cdp.addAudience(Audience.builder("mail", "reachable", email).identifiers("email").build());
    cdp.addAudience(Audience.builder("ads", "reachable", ads).hashed("email").build());
    return cdp;
  }

  private void check(Supplier<HikariDataSource> database) throws SQLException {
    List<String> janes = new ArrayList<>();
    try (HikariDataSource ds = database.get()) {
      ProfileId jane;
      try (Cdp cdp = open(ds)) {
        for (Event.Builder b : List.of(
            Event.page("Home").anonymousId("anon-jane"),
            Event.identify().userId("jane-1").anonymousId("anon-jane")
                .trait("email", "Jane@Example.com").trait("note", MARKER)
                .consent("marketing", true),
            Event.group("acme").userId("jane-1").trait("plan", "pro"),
            Event.track("Feature Used").userId("jane-1").property("feature", MARKER))) {
          clock.advance(Duration.ofSeconds(1));
          Event e = b.build();
          janes.add(e.messageId());
          cdp.ingest(e);
        }
        cdp.ingest(Event.identify().userId("bob").trait("email", "bob@example.com")
            .consent("marketing", true).build());
        cdp.ingest(Event.track("Feature Used").userId("bob").build());
        jane = cdp.profile(Identifier.of("user_id", "jane-1")).orElseThrow().id();
        assertThat(cdp.syncAll()).allMatch(SyncReport::ok);
        assertThat(email.members("mail")).hasSize(2);
      }

      // after a restart, the destinations are not sent again what they hold
      try (Cdp cdp = open(ds)) {
        List<SyncReport> again = cdp.syncAll();
        assertThat(again).allMatch(r -> !r.full() && r.added() == 0 && r.removed() == 0);
        assertThat(again.get(0).members()).isEqualTo(2);

        DeletionReport report = cdp.forget(Identifier.of("email", "jane@example.com"));
        assertThat(report.profileId()).hasValue(jane);
        assertThat(report.messages()).isEqualTo(janes.size());
        assertThat(report.audiencesToUpdate()).containsExactly("mail", "ads");
        assertThat(cdp.syncAll()).allMatch(r -> r.removed() == 1);
      } // closing keeps a snapshot of the indexes: it must not hold her either

      assertThat(email.members("mail")).doesNotContainKey(jane).hasSize(1);
      assertThat(ads.members("ads")).doesNotContainKey(jane).hasSize(1);
      List<String> needles = new ArrayList<>(List.of(jane.value(), "jane", "Jane", MARKER));
      needles.addAll(janes);
      List<String> tables = scanEveryTable(ds, needles);
      assertThat(tables).as("the tables scanned").contains("cdp_event", "cdp_profile",
          "cdp_identifier", "cdp_snapshot", "cdp_audience_member", "cdp_suppression",
          "cdp_redirect", "cdp_watch", "cdp_account");

      try (Cdp cdp = open(ds)) {
        assertThat(cdp.ingest(Event.identify().userId("jane-1").build()).suppressed())
            .isEqualTo(1);
        assertThat(cdp.profileCount()).isEqualTo(1);
      }
    }
  }

  /** Reads every row of every cdpkit table; fails on any value holding one of the needles. */
  private static List<String> scanEveryTable(HikariDataSource ds, List<String> needles)
      throws SQLException {
    List<String> tables = new ArrayList<>();
    try (Connection c = ds.getConnection()) {
      try (ResultSet r = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
        while (r.next()) {
          String name = r.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
          if (name.startsWith("cdp_")) {
            tables.add(name);
          }
        }
      }
      for (String table : tables) {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
            "SELECT * FROM " + table)) {
          int columns = r.getMetaData().getColumnCount();
          while (r.next()) {
            for (int i = 1; i <= columns; i++) {
              Object v = r.getObject(i);
              String text = v instanceof byte[] ? new String((byte[]) v, StandardCharsets.UTF_8)
                  : String.valueOf(v);
              for (String needle : needles) {
                assertThat(text).as("%s, column %s", table, r.getMetaData().getColumnName(i))
                    .doesNotContain(needle);
              }
            }
          }
        }
      }
    }
    return tables;
  }
}
