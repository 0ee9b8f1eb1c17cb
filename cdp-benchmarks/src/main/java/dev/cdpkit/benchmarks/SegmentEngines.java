package dev.cdpkit.benchmarks;

import dev.cdpkit.Event;
import dev.cdpkit.ProfileId;
import dev.cdpkit.internal.index.SegmentIndex;
import dev.cdpkit.segment.SegmentExpr;
import dev.cdpkit.store.InMemoryProfileStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The engines the segment benchmark compares, each loaded with the same {@link RetailShapedData}
 * and each answering the same question: how many profiles satisfy {@link #QUERY}.
 *
 * <ul>
 *   <li>cdpkit's bitmap engine, filled through its bulk-loading entry points (every event goes
 *       through the same incremental aggregate maintenance as ingestion);
 *   <li>DuckDB (JDBC, in memory, {@code threads=1}) over one row per profile with the three
 *       aggregates materialized as columns;
 *   <li>DuckDB computing the three windowed counts from the raw events table at query time;
 *   <li>plain Java streams over profile objects that hold their events.
 * </ul>
 *
 * <p>Not thread-safe.
 */
final class SegmentEngines implements AutoCloseable {
  static final String QUERY = """
      ltv > 1000 and plan in ("pro", "enterprise")
        and count("Feature Used" where feature = "A" within 90d) > 5
        and count("Feature Used" where feature = "B" within 90d) > 5
        and count("Ticket Created" within 90d) >= 3""";
  static final long WINDOW = 90L * 86_400_000L;

  final RetailShapedData data;
  final long now = RetailShapedData.NOW.toEpochMilli();
  final SegmentExpr query = SegmentExpr.parse(QUERY);
  SegmentIndex cdpkit;
  DuckDBConnection duck;
  List<Customer> customers;
  final List<String> report = new ArrayList<>();

  SegmentEngines(RetailShapedData data) {
    this.data = data;
  }

  void loadCdpkit() {
    long t0 = System.nanoTime();
    cdpkit = new SegmentIndex(new InMemoryProfileStore());
    dev.cdpkit.internal.index.Expressions.forEachAggregate(query, a -> cdpkit.bulkAggregate(a, now));
    Event.Builder[] templates = new Event.Builder[5];
    for (int k = 0; k < 4; k++) {
      templates[k] = Event.track("Feature Used").userId("p")
          .property("feature", RetailShapedData.FEATURES[k]);
    }
    templates[4] = Event.track("Ticket Created").userId("p");
    for (int p = 0; p < data.profiles; p++) {
      int row = cdpkit.bulkAddProfile(ProfileId.of("p" + p));
      cdpkit.bulkSetTrait(row, "ltv", data.ltv[p]);
      cdpkit.bulkSetTrait(row, "plan", RetailShapedData.PLANS[data.plan[p]]);
      cdpkit.bulkSetTrait(row, "country", data.countries[data.country[p]]);
      cdpkit.bulkSetTrait(row, "orders", data.orders[p]);
      cdpkit.bulkSetTrait(row, "newsletter", data.newsletter[p]);
      for (int e = data.eventStart[p]; e < data.eventStart[p + 1]; e++) {
        cdpkit.bulkAddEvent(row, templates[data.eventKind[e]]
            .timestamp(Instant.ofEpochMilli(data.eventTime[e])).build());
      }
    }
    cdpkit.rebuildIndexes();
    long bytes = cdpkit.indexBytes();
    report.add(String.format("cdpkit: loaded %,d profiles and %,d events in %.1f s; index %,d"
        + " bytes = %.2f bytes per profile (5 trait columns, 3 aggregates)", data.profiles,
        data.events(), (System.nanoTime() - t0) / 1e9, bytes, (double) bytes / data.profiles));
  }

  /** The answer computed directly from the arrays: what every engine must return. */
  long expectedCount() {
    long n = 0;
    for (int p = 0; p < data.profiles; p++) {
      byte plan = data.plan[p];
      if (data.ltv[p] > 1000 && (plan == 2 || plan == 3)) {
        int[] c = windowCounts(p);
        if (c[0] > 5 && c[1] > 5 && c[RetailShapedData.TICKET] >= 3) {
          n++;
        }
      }
    }
    return n;
  }

  long cdpkitCount() {
    return cdpkit.count(query, now, name -> null);
  }

  long cdpkitMembers() {
    return cdpkit.members(query, now, name -> null).getLongCardinality();
  }

  void loadDuckDb(boolean rawEvents) throws SQLException {
    long t0 = System.nanoTime();
    duck = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
    try (Statement s = duck.createStatement()) {
      s.execute("SET threads = 1");
      s.execute("CREATE TABLE profiles (id INTEGER, ltv DOUBLE, plan VARCHAR, country VARCHAR,"
          + " orders BIGINT, newsletter BOOLEAN, a90 INTEGER, b90 INTEGER, t90 INTEGER)");
      if (rawEvents) {
        s.execute("CREATE TABLE events (profile INTEGER, name VARCHAR, feature VARCHAR,"
            + " ts BIGINT)");
      }
    }
    try (DuckDBAppender a = duck.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "profiles")) {
      for (int p = 0; p < data.profiles; p++) {
        int[] c = windowCounts(p);
        a.beginRow().append(p).append(data.ltv[p]).append(RetailShapedData.PLANS[data.plan[p]])
            .append(data.countries[data.country[p]]).append(data.orders[p])
            .append(data.newsletter[p]).append(c[0]).append(c[1]).append(c[4]).endRow();
      }
    }
    if (rawEvents) {
      try (DuckDBAppender a = duck.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "events")) {
        for (int p = 0; p < data.profiles; p++) {
          for (int e = data.eventStart[p]; e < data.eventStart[p + 1]; e++) {
            byte k = data.eventKind[e];
            a.beginRow().append(p).append(k == RetailShapedData.TICKET ? "Ticket Created"
                : "Feature Used").append(k == RetailShapedData.TICKET ? null
                : RetailShapedData.FEATURES[k]).append(data.eventTime[e]).endRow();
          }
        }
      }
    }
    report.add(String.format("duckdb: loaded %,d profiles%s in %.1f s", data.profiles,
        rawEvents ? String.format(" and %,d events", data.events()) : "",
        (System.nanoTime() - t0) / 1e9));
  }

  /** The materialized aggregates: per kind, the profile's events in the window. */
  int[] windowCounts(int p) {
    int[] c = new int[5];
    for (int e = data.eventStart[p]; e < data.eventStart[p + 1]; e++) {
      long t = data.eventTime[e];
      if (t > now - WINDOW && t <= now) {
        c[data.eventKind[e]]++;
      }
    }
    return c;
  }

  long duckMaterialized() throws SQLException {
    return single("SELECT count(*) FROM profiles WHERE ltv > 1000"
        + " AND plan IN ('pro', 'enterprise') AND a90 > 5 AND b90 > 5 AND t90 >= 3");
  }

  long duckRawEvents() throws SQLException {
    long from = now - WINDOW;
    return single("SELECT count(*) FROM profiles p JOIN ("
        + " SELECT profile,"
        + "   count(*) FILTER (WHERE name = 'Feature Used' AND feature = 'A') AS a,"
        + "   count(*) FILTER (WHERE name = 'Feature Used' AND feature = 'B') AS b,"
        + "   count(*) FILTER (WHERE name = 'Ticket Created') AS t"
        + " FROM events WHERE ts > " + from + " AND ts <= " + now + " GROUP BY profile) e"
        + " ON p.id = e.profile"
        + " WHERE p.ltv > 1000 AND p.plan IN ('pro', 'enterprise') AND e.a > 5 AND e.b > 5"
        + " AND e.t >= 3");
  }

  private long single(String sql) throws SQLException {
    try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** A profile as an application without cdpkit would hold it: fields, and its events. */
  static final class Customer {
    final double ltv;
    final String plan;
    final String country;
    final long orders;
    final boolean newsletter;
    final long[] times;
    final String[] names;
    final Map<?, ?>[] properties;

    Customer(double ltv, String plan, String country, long orders, boolean newsletter,
        long[] times, String[] names, Map<?, ?>[] properties) {
      this.ltv = ltv;
      this.plan = plan;
      this.country = country;
      this.orders = orders;
      this.newsletter = newsletter;
      this.times = times;
      this.names = names;
      this.properties = properties;
    }

    long count(String name, String feature, long now, long window) {
      long n = 0;
      for (int i = 0; i < times.length; i++) {
        if (times[i] > now - window && times[i] <= now && names[i].equals(name)
            && (feature == null || feature.equals(properties[i].get("feature")))) {
          n++;
        }
      }
      return n;
    }
  }

  void loadStreams() {
    long t0 = System.nanoTime();
    List<Map<?, ?>> props = new ArrayList<>();
    for (String f : RetailShapedData.FEATURES) {
      props.add(Map.of("feature", f));
    }
    props.add(Map.of());
    customers = new ArrayList<>(data.profiles);
    for (int p = 0; p < data.profiles; p++) {
      int from = data.eventStart[p];
      int n = data.eventStart[p + 1] - from;
      long[] times = new long[n];
      String[] names = new String[n];
      Map<?, ?>[] properties = new Map<?, ?>[n];
      for (int i = 0; i < n; i++) {
        byte k = data.eventKind[from + i];
        times[i] = data.eventTime[from + i];
        names[i] = k == RetailShapedData.TICKET ? "Ticket Created" : "Feature Used";
        properties[i] = props.get(k);
      }
      customers.add(new Customer(data.ltv[p], RetailShapedData.PLANS[data.plan[p]],
          data.countries[data.country[p]], data.orders[p], data.newsletter[p], times, names,
          properties));
    }
    report.add(String.format("streams: built %,d profile objects in %.1f s", data.profiles,
        (System.nanoTime() - t0) / 1e9));
  }

  long streamsCount() {
    return customers.stream()
        .filter(c -> c.ltv > 1000)
        .filter(c -> c.plan.equals("pro") || c.plan.equals("enterprise"))
        .filter(c -> c.count("Feature Used", "A", now, WINDOW) > 5)
        .filter(c -> c.count("Feature Used", "B", now, WINDOW) > 5)
        .filter(c -> c.count("Ticket Created", null, now, WINDOW) >= 3)
        .count();
  }

  /** Selectivity of each clause alone, for the report. */
  void describe() {
    List<dev.cdpkit.ClauseCount> counts = cdpkit.clauseCounts(query, now, name -> null);
    for (dev.cdpkit.ClauseCount c : counts) {
      report.add(String.format("  %-62s alone %,10d  kept %,10d", c.clause(), c.alone(),
          c.kept()));
    }
  }

  @Override
  public void close() throws SQLException {
    if (duck != null) {
      duck.close();
    }
  }

  /** Loads every engine, checks they agree, prints the report. For a quick look. */
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    long t0 = System.nanoTime();
    RetailShapedData data = RetailShapedData.generate(n, 42);
    System.out.printf("generated %,d profiles, %,d events (%s) in %.1f s%n", n, data.events(),
        data.real ? "bootstrapped from Online Retail" : "parametric stand-in",
        (System.nanoTime() - t0) / 1e9);
    try (SegmentEngines e = new SegmentEngines(data)) {
      e.loadCdpkit();
      e.loadDuckDb(true);
      e.loadStreams();
      e.describe();
      e.report.forEach(System.out::println);
      System.out.printf("counts: cdpkit %d, members %d, duckdb %d, duckdb raw %d, streams %d%n",
          e.cdpkitCount(), e.cdpkitMembers(), e.duckMaterialized(), e.duckRawEvents(),
          e.streamsCount());
      for (int i = 0; i < 5; i++) {
        long a = System.nanoTime();
        e.cdpkitCount();
        long b = System.nanoTime();
        e.duckMaterialized();
        long c = System.nanoTime();
        e.streamsCount();
        long d = System.nanoTime();
        System.out.printf("cdpkit %.2f ms, duckdb %.2f ms, streams %.2f ms%n", (b - a) / 1e6,
            (c - b) / 1e6, (d - c) / 1e6);
      }
    }
  }
}
