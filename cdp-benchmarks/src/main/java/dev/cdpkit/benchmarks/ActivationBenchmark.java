package dev.cdpkit.benchmarks;

import dev.cdpkit.Audience;
import dev.cdpkit.Cdp;
import dev.cdpkit.Event;
import dev.cdpkit.SyncReport;
import dev.cdpkit.destination.AudienceSync;
import dev.cdpkit.destination.DeliveryReport;
import dev.cdpkit.destination.Destination;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Live audiences in memory, over {@code profiles} profiles (an identify with ltv, plan, email,
 * country and marketing consent, and two Feature Used events in the last 60 days each), with 20
 * live segments defined (traits, windowed aggregates, consent, identifier types, references,
 * timestamps) and a membership listener:
 *
 * <ul>
 *   <li>{@code ingestToMembershipChange}: one identify that moves a profile's ltv across the
 *       thresholds of several segments, from {@code ingest} to the listeners having been told
 *       (they run before it returns): the message is resolved, stored, indexed, and only the
 *       segments on ltv evaluated for that profile.
 *   <li>{@code syncOnePercentChurn}: syncing an audience of about {@code profiles} members after
 *       1 % of them left and as many entered (set up before each sync); the destination does
 *       nothing, so this is cdpkit's cost: the bitmap difference, reading the changed profiles
 *       and what they were sent, and recording the sync.
 *   <li>{@code tickAfter}: {@code cdp.tick()} after the clock moved by {@code step}: the rows
 *       whose windows slid are evaluated again and their changes told.
 * </ul>
 *
 * <p>Run: {@code mvn -q -pl cdp-benchmarks -am package -DskipTests && java -jar
 * cdp-benchmarks/target/benchmarks.jar ActivationBenchmark -rf json -rff
 * cdp-benchmarks/results/activation.json}
 */
@Fork(value = 1, jvmArgsAppend = {"-Xms10g", "-Xmx10g", "-XX:+UseParallelGC"})
@Threads(1)
public class ActivationBenchmark {
  static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
  static final String[] SEGMENTS = {
      "ltv > 100",
      "ltv > 1000",
      "ltv between 200 and 400",
      "plan = \"pro\"",
      "plan in (\"pro\", \"enterprise\") and ltv > 2000",
      "count(\"Feature Used\" within 30d) >= 1",
      "count(\"Feature Used\" where feature = \"A\" within 60d) >= 1",
      "count(\"Feature Used\" within 7d) >= 2",
      "consented \"marketing\"",
      "has email",
      "country = \"NO\"",
      "country != \"US\" and ltv > 500",
      "email ends with \"@example.com\"",
      "in segment \"s0\" and in segment \"s5\"",
      "not in segment \"s3\"",
      "count(\"Ticket Created\" within 30d) >= 1",
      "sum(\"Order Completed\", total within 30d) > 100",
      "signed_up_at within 30d",
      "ltv < 50 or plan = \"free\"",
      "in segment \"s1\" and consented \"marketing\" and count(\"Feature Used\" within 30d) >= 1"};

  /** A clock the benchmark moves. */
  static final class MovableClock extends Clock {
    volatile Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  /** A destination that takes everything at once: the sync's own cost is what is left. */
  static final class NoOpDestination implements Destination {
    @Override
    public String purpose() {
      return "marketing";
    }

    @Override
    public String channel() {
      return "email";
    }

    @Override
    public DeliveryReport deliver(AudienceSync sync) {
      return DeliveryReport.ok();
    }
  }

  /** The profiles, the 20 live segments, a listener and an audience synced once. */
  @State(Scope.Benchmark)
  public static class Population {
    @Param({"1000000"})
    int profiles;

    final MovableClock clock = new MovableClock(NOW);
    Cdp cdp;
    final AtomicLong told = new AtomicLong();
    long ts = 1;
    int nextProfile;

    @Setup(Level.Trial)
    public void populate() {
      cdp = Cdp.builder().clock(clock).build();
      for (int i = 0; i < SEGMENTS.length; i++) {
        cdp.defineSegment("s" + i, SEGMENTS[i]);
      }
      Random r = new Random(7);
      Instant start = NOW.minus(Duration.ofDays(120));
      String[] plans = {"free", "starter", "pro", "enterprise"};
      String[] countries = {"NO", "SE", "US", "DE"};
      long t0 = System.nanoTime();
      for (int p = 0; p < profiles; p++) {
        String user = "u" + p;
        cdp.ingest(Event.identify().userId(user).trait("ltv", 101 + r.nextInt(5000))
            .trait("plan", plans[r.nextInt(4)]).trait("email", user + "@example.com")
            .trait("country", countries[r.nextInt(4)]).consent("marketing", true)
            .messageId("id-" + p).timestamp(start.plusMillis(p)).build());
        for (int k = 0; k < 2; k++) {
          cdp.ingest(Event.track("Feature Used").userId(user)
              .property("feature", r.nextBoolean() ? "A" : "B").messageId("f-" + p + "-" + k)
              .timestamp(NOW.minusSeconds(r.nextInt(86_400 * 60))).build());
        }
      }
      cdp.onMembershipChange(c -> told.incrementAndGet());
      cdp.addAudience(Audience.builder("rich", "s0", new NoOpDestination())
          .identifiers("email").build());
      SyncReport first = cdp.sync("rich");
      System.out.printf("%n%,d profiles in %.1f s; first sync: %,d members in %s%n", profiles,
          (System.nanoTime() - t0) / 1e9, first.members(), first.took());
    }

    /** The next timestamp, after every message so far. */
    Instant next() {
      return NOW.plusMillis(ts++);
    }

    @TearDown(Level.Trial)
    public void close() {
      cdp.close();
    }
  }

  /** One identify moving a profile's ltv across the thresholds, until the listeners are told. */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 3, time = 5)
  @Measurement(iterations = 5, time = 5)
  public long ingestToMembershipChange(Population p) {
    int n = p.nextProfile++;
    int u = n % p.profiles;
    long before = p.told.get();
    p.cdp.ingest(Event.identify().userId("u" + u)
        .trait("ltv", (n / p.profiles & 1) == 0 ? 50 : 3000)
        .timestamp(p.next()).build());
    long after = p.told.get();
    if (after == before) {
      throw new IllegalStateException("no membership changed for u" + u);
    }
    return after;
  }

  /** Before each sync, 0.5 % of the audience leaves and 0.5 % comes back (ltv across 100). */
  @State(Scope.Thread)
  public static class Churn {
    private int from = -1;

    @Setup(Level.Invocation)
    public void churn(Population p) {
      if (from < 0) {
        from = p.profiles / 2;
      }
      int n = p.profiles / 200;
      for (int i = 0; i < n; i++) {
        p.cdp.ingest(Event.identify().userId("u" + (from + i) % p.profiles).trait("ltv", 10)
            .timestamp(p.next()).build());
        p.cdp.ingest(Event.identify().userId("u" + (from - n + i + p.profiles) % p.profiles)
            .trait("ltv", 500).timestamp(p.next()).build());
      }
      from += n;
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 5, batchSize = 1)
  @Measurement(iterations = 20, batchSize = 1)
  public SyncReport syncOnePercentChurn(Population p, Churn churn) {
    SyncReport r = p.cdp.sync("rich");
    if (r.added() + r.removed() < p.profiles / 200) {
      throw new IllegalStateException("too little churn: " + r);
    }
    return r;
  }

  /** Before each tick, the clock moves on by {@code step}. */
  @State(Scope.Thread)
  public static class Step {
    @Param({"PT1M", "PT1H", "P1D"})
    String step;

    @Setup(Level.Invocation)
    public void move(Population p) {
      p.clock.now = p.clock.now.plus(Duration.parse(step));
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 3, batchSize = 1)
  @Measurement(iterations = 10, batchSize = 1)
  public Object tickAfter(Population p, Step step) {
    return p.cdp.tick();
  }
}
