package dev.cdpkit.benchmarks;

import dev.cdpkit.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of keeping the seed query's three windowed aggregates current, on one thread: events
 * per second that the bitmap engine takes in, over 1M loaded profiles (7.2M events already
 * counted). Each event goes to a random profile at a time in the last day, with the real mix of
 * kinds (Feature Used A to D, Ticket Created); each is matched against the three aggregates, and
 * a taken event updates the profile's window result and its index (delta, rebuilt when large).
 * The events are built before timing: this is the engine's cost, not JSON parsing or the store
 * (see {@code IngestJsonBenchmark} for those).
 *
 * <p>The setup also measures, once, the passing of time: moving the clock forward an hour and a
 * day and answering the query, which recomputes the profiles whose oldest counted event left the
 * window; it writes that to {@code cdp-benchmarks/results/aggregate-maintenance.txt}.
 *
 * <p>Run: {@code mvn -q -pl cdp-benchmarks -am package -DskipTests && java -jar
 * cdp-benchmarks/target/benchmarks.jar AggregateMaintenanceBenchmark -rf json -rff
 * cdp-benchmarks/results/aggregate-maintenance.json}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms12g", "-Xmx12g", "-XX:+UseParallelGC", "-XX:+AlwaysPreTouch"})
@Threads(1)
@State(Scope.Benchmark)
public class AggregateMaintenanceBenchmark {
  private static final int BATCH = 10_000;
  private static final int POOL = 1 << 20;

  @Param({"1000000"})
  int profiles;

  private SegmentEngines engines;
  private int[] rows;
  private Event[] events;
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    RetailShapedData data = RetailShapedData.generate(profiles, 42);
    engines = new SegmentEngines(data);
    engines.loadCdpkit();
    List<String> report = new ArrayList<>(engines.report);
    long now = engines.now;
    for (long step : new long[] {3_600_000L, 86_400_000L}) {
      long t0 = System.nanoTime();
      long count = engines.cdpkit.count(engines.query, now + step, name -> null);
      report.add(String.format("clock forward %s: answered (%,d profiles) in %.1f ms, recomputing"
          + " the rows whose window changed", step == 3_600_000L ? "1 hour" : "1 day", count,
          (System.nanoTime() - t0) / 1e6));
      now += step;
    }
    // back to the benchmark's instant: events arrive in the last day before it
    engines.cdpkit.count(engines.query, engines.now, name -> null);
    Random r = new Random(7);
    rows = new int[POOL];
    events = new Event[POOL];
    for (int i = 0; i < POOL; i++) {
      rows[i] = r.nextInt(profiles);
      int kind = data.eventKind[r.nextInt(data.eventKind.length)];
      Event.Builder b = kind == RetailShapedData.TICKET ? Event.track("Ticket Created")
          : Event.track("Feature Used").property("feature", RetailShapedData.FEATURES[kind]);
      events[i] = b.userId("p" + rows[i])
          .timestamp(Instant.ofEpochMilli(engines.now - r.nextInt(86_400_000))).build();
    }
    Path out = Paths.get("cdp-benchmarks/results");
    if (Files.isDirectory(out)) {
      Files.write(out.resolve("aggregate-maintenance.txt"), report);
    }
    report.forEach(System.out::println);
    // the loaded engine moves to the old generation now, not inside the first timed iteration
    System.gc();
  }

  /** Events through the three aggregates; the score is events per second. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void addEvents() {
    int i = next;
    for (int k = 0; k < BATCH; k++) {
      engines.cdpkit.bulkAddEvent(rows[i], events[i]);
      i = (i + 1) & (POOL - 1);
    }
    next = i;
  }
}
