package dev.cdpkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.cdpkit.Cdp;
import dev.cdpkit.Event;
import dev.cdpkit.Identifier;
import dev.cdpkit.Segment;
import dev.cdpkit.testing.ForwardingProfileStore;
import dev.cdpkit.testing.MutableClock;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code Cdp} reopened on the database sees everything it had: profiles, lookups, events,
 * accounts, segment definitions and their answers; and goes on from there.
 */
class RestartTest {
  private static final Map<String, String> SEGMENTS = Map.of(
      "engaged", "count(\"Feature Used\" where feature = \"A\" within 90d) >= 2 or ltv > 2500",
      "big_accounts", "account.arr > 100000 and has anonymous_id",
      "reachable", "in segment \"engaged\" and consented \"marketing\" and plan = 'pro'");

  @TempDir
  Path dir;

  @Test
  void onH2() {
    check(() -> Databases.h2(dir));
  }

  @Test
  void onPostgres() {
    check(Databases::postgresDatabase);
  }

  private void check(Supplier<HikariDataSource> database) {
    MutableClock clock = new MutableClock(Scenario.NOW);
    List<Event> messages = Scenario.messages(400);
    try (HikariDataSource ds = database.get()) {
      TreeSet<String> state;
      Map<String, Long> counts = new TreeMap<>();
      Map<String, TreeSet<String>> members = new TreeMap<>();
      Identifier lookup = Identifier.of("user_id", "u3");
      Object profileOfU3;
      try (Cdp cdp = Cdp.builder().store(JdbcProfileStore.create(ds)).clock(clock).build()) {
        messages.subList(0, 300).forEach(cdp::ingest);
        cdp.defineSegment("engaged", SEGMENTS.get("engaged"));
        cdp.defineSegment("big_accounts", SEGMENTS.get("big_accounts"));
        cdp.defineSegment("reachable", SEGMENTS.get("reachable"));
        cdp.defineSegment("engaged", SEGMENTS.get("engaged") + " or plan = 'enterprise'");
        messages.subList(300, 400).forEach(cdp::ingest);
        cdp.ingest(messages.get(5)); // a duplicate changes nothing
        state = Scenario.state(cdp);
        for (String name : SEGMENTS.keySet()) {
          Segment s = cdp.segment(name).orElseThrow();
          counts.put(name, s.count());
          members.put(name, ids(s));
        }
        profileOfU3 = cdp.profile(lookup).orElseThrow();
      }
      assertThat(counts.values()).as("the segments are not trivially empty").allMatch(n -> n > 0);
      assertThat(JdbcProfileStore.create(ds).snapshot()).as("the closing Cdp left a snapshot")
          .isPresent();

      ForwardingProfileStore store = new ForwardingProfileStore(JdbcProfileStore.create(ds));
      try (Cdp again = Cdp.builder().store(store).clock(clock).build()) {
        assertThat(store.fullPasses()).as("restored from the snapshot").isZero();
        assertThat(Scenario.state(again)).isEqualTo(state);
        assertThat(again.profile(lookup)).hasValue((dev.cdpkit.Profile) profileOfU3);
        assertThat(again.segment("engaged").orElseThrow().expression().render())
            .contains("enterprise");
        for (String name : SEGMENTS.keySet()) {
          Segment s = again.segment(name).orElseThrow();
          assertThat(s.count()).as(name).isEqualTo(counts.get(name));
          assertThat(ids(s)).as(name).isEqualTo(members.get(name));
        }
        // and it goes on: a new message lands in the reopened indexes
        again.ingest(Event.identify().userId("newcomer").trait("ltv", 9999)
            .messageId("after-restart").timestamp(Scenario.NOW).build());
        assertThat(again.segment("engaged").orElseThrow().count())
            .isEqualTo(counts.get("engaged") + 1);
        assertThat(store.snapshot()).as("stale after a commit").isEmpty();
        assertThat(rows(ds, "cdp_snapshot")).as("and gone: it held profiles' traits").isZero();
      }

      // without a snapshot (as after a crash) the indexes are rebuilt from the tables, alike
      assertThat(rows(ds, "cdp_snapshot")).as("the second close kept one again").isPositive();
      try (Cdp rebuilt = Cdp.builder().store(new ForwardingProfileStore(
          JdbcProfileStore.create(ds)) {
            @Override
            public Optional<List<byte[]>> snapshot() {
              return Optional.empty();
            }
          }).clock(clock).build()) {
        for (String name : SEGMENTS.keySet()) {
          Segment s = rebuilt.segment(name).orElseThrow();
          assertThat(ids(s)).as(name).containsAll(members.get(name));
        }
        assertThat(rebuilt.segment("engaged").orElseThrow().count())
            .isEqualTo(counts.get("engaged") + 1);
      }
    }
  }

  @Test
  void noSnapshotIsKeptOverAnotherStoresWrites() {
    MutableClock clock = new MutableClock(Scenario.NOW);
    try (HikariDataSource ds = Databases.h2(dir)) {
      Cdp first = Cdp.builder().store(JdbcProfileStore.create(ds)).clock(clock).build();
      Cdp second = Cdp.builder().store(JdbcProfileStore.create(ds)).clock(clock).build();
      first.defineSegment("rich", "ltv > 100");
      first.ingest(Event.identify().userId("a").trait("ltv", 500).timestamp(Scenario.NOW)
          .build());
      second.ingest(Event.identify().userId("b").trait("ltv", 700).timestamp(Scenario.NOW)
          .build());
      first.close(); // its indexes lack b
      assertThat(JdbcProfileStore.create(ds).snapshot()).isEmpty();
      second.close(); // its indexes lack a (and the segment)
      assertThat(JdbcProfileStore.create(ds).snapshot()).isEmpty();
      try (Cdp cdp = Cdp.builder().store(JdbcProfileStore.create(ds)).clock(clock).build()) {
        assertThat(cdp.segment("rich").orElseThrow().count()).isEqualTo(2);
      }
      // one writer alone keeps one again
      Cdp.builder().store(JdbcProfileStore.create(ds)).clock(clock).build().close();
      assertThat(JdbcProfileStore.create(ds).snapshot()).isPresent();
    }
  }

  private static long rows(HikariDataSource ds, String table) {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      r.next();
      return r.getLong(1);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  private static TreeSet<String> ids(Segment s) {
    TreeSet<String> out = new TreeSet<>();
    s.profiles().forEach(p -> out.add(p.id().value()));
    return out;
  }
}
