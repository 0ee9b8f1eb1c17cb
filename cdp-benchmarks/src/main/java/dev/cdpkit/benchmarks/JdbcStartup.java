package dev.cdpkit.benchmarks;

import dev.cdpkit.Cdp;
import dev.cdpkit.Event;
import dev.cdpkit.Identifier;
import dev.cdpkit.ProfileId;
import dev.cdpkit.Segment;
import dev.cdpkit.TraitValue;
import dev.cdpkit.identity.IdentityLink;
import dev.cdpkit.jdbc.JdbcProfileStore;
import dev.cdpkit.store.Changes;
import dev.cdpkit.store.EventKey;
import dev.cdpkit.store.ProfileRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Start-up on a database that holds data: how long a {@code Cdp} takes to open on H2 and on
 * PostgreSQL holding {@code profiles} profiles with 10 events each (an identify with ltv and
 * plan, nine tracks: Feature Used A, B or C, Ticket Created, over 120 days) and a segment like
 * the seed query defined, so that opening also rebuilds its three windowed aggregates. The database is
 * filled through the store's commit (what ingestion would have committed for these messages,
 * 2,000 profiles a transaction), then a {@code Cdp} is opened on it (rebuilding its indexes
 * from the tables, as after a crash), closed (keeping an index snapshot) and opened again (from
 * the snapshot), and asked for the segment.
 * Writes {@code cdp-benchmarks/results/jdbc-startup.txt}.
 *
 * <p>Run: {@code mvn -q -pl cdp-benchmarks -am package -DskipTests && java -Xmx12g -cp
 * cdp-benchmarks/target/benchmarks.jar dev.cdpkit.benchmarks.JdbcStartup 1000000}
 */
public final class JdbcStartup {
  private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
  private static final int CHUNK = 2000;
  private static final String SEGMENT = "ltv > 1000"
      + " and count(\"Feature Used\" where feature = \"A\" within 90d) >= 2"
      + " and count(\"Feature Used\" where feature = \"B\" within 90d) >= 2"
      + " and count(\"Ticket Created\" within 90d) >= 1";

  private JdbcStartup() {}

  public static void main(String[] args) throws Exception {
    int profiles = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    List<String> report = new ArrayList<>();
    for (String database : new String[] {"h2", "postgresql"}) {
      try (Databases db = new Databases(database)) {
        long t0 = System.nanoTime();
        JdbcProfileStore store = JdbcProfileStore.create(db.dataSource);
        fill(store, profiles);
        store.putSegment("power_users", SEGMENT);
        double filled = (System.nanoTime() - t0) / 1e9;
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        long t1 = System.nanoTime();
        Cdp cdp = Cdp.builder().store(JdbcProfileStore.create(db.dataSource)).clock(clock).build();
        double rebuilt = (System.nanoTime() - t1) / 1e9;
        long count = cdp.segment("power_users").orElseThrow().count();
        long t2 = System.nanoTime();
        cdp.close();
        double closed = (System.nanoTime() - t2) / 1e9;
        long t3 = System.nanoTime();
        try (Cdp again = Cdp.builder().store(JdbcProfileStore.create(db.dataSource)).clock(clock)
            .build()) {
          double restored = (System.nanoTime() - t3) / 1e9;
          Segment s = again.segment("power_users").orElseThrow();
          long t4 = System.nanoTime();
          long recount = s.count();
          double asked = (System.nanoTime() - t4) / 1e6;
          if (recount != count) {
            throw new IllegalStateException("restored " + recount + " != rebuilt " + count);
          }
          report.add(String.format("%s: %,d profiles, %,d events: filled in %.1f s; a Cdp opened"
              + " on it in %.1f s rebuilding its indexes from the tables; closed in %.1f s"
              + " (keeping a snapshot); reopened in %.1f s from the snapshot (%,d profiles);"
              + " power_users = %,d profiles, counted in %.1f ms",
              database, profiles, profiles * 10L, filled, rebuilt, closed, restored,
              again.profileCount(), recount, asked));
          System.out.println(report.get(report.size() - 1));
        }
      }
    }
    Path out = Paths.get("cdp-benchmarks/results");
    if (Files.isDirectory(out)) {
      Files.write(out.resolve("jdbc-startup.txt"), report);
    }
  }

  /** What ingesting each profile's ten messages would commit, in chunks. */
  private static void fill(JdbcProfileStore store, int profiles) {
    Random r = new Random(42);
    String[] plans = {"free", "starter", "pro", "enterprise"};
    for (int from = 0; from < profiles; from += CHUNK) {
      List<Changes.Placement> placements = new ArrayList<>();
      Map<ProfileId, ProfileRecord> records = new HashMap<>();
      Map<Identifier, ProfileId> identifiers = new HashMap<>();
      for (int p = from; p < Math.min(profiles, from + CHUNK); p++) {
        ProfileId id = ProfileId.of("profile-" + p);
        Identifier user = Identifier.of("user_id", "u" + p);
        Instant first = NOW.minusSeconds(86_400L * 120);
        Event identify = Event.identify().userId("u" + p).trait("ltv", r.nextInt(3000))
            .trait("plan", plans[r.nextInt(4)]).messageId("m-" + p + "-0").timestamp(first)
            .build();
        placements.add(new Changes.Placement(identify, id));
        Instant last = first;
        String lastId = identify.messageId();
        for (int k = 1; k < 10; k++) {
          Instant at = NOW.minusSeconds(r.nextInt(86_400 * 120));
          int kind = r.nextInt(4);
          Event e = (kind == 3 ? Event.track("Ticket Created")
              : Event.track("Feature Used").property("feature", String.valueOf((char) ('A' + kind))))
              .userId("u" + p).messageId("m-" + p + "-" + k).timestamp(at).build();
          placements.add(new Changes.Placement(e, id));
          if (at.isAfter(last)) {
            last = at;
            lastId = e.messageId();
          }
        }
        Map<String, TraitValue> traits = new HashMap<>();
        identify.traits().forEach((k, v) -> traits.put(k,
            new TraitValue(v, first, identify.messageId(), identify.source())));
        records.put(id, new ProfileRecord(id, EventKey.of(identify),
            new EventKey(last, lastId), Set.of(user), traits, Set.of(), Map.of(),
            List.of(new IdentityLink(identify.messageId(), first, identify.source(),
                Set.of(user), Set.of())), Map.of(), Set.of()));
        identifiers.put(user, id);
      }
      store.commit(new Changes(Set.of(), placements, List.of(), Map.of(), records, Set.of(),
          identifiers, Map.of(), false, List.of(), Set.of()));
    }
  }
}
