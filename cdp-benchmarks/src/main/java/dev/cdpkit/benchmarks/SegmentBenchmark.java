package dev.cdpkit.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The seed audience question, side by side, on one core: how many profiles satisfy
 * {@link SegmentEngines#QUERY} ({@code ltv > 1000 and plan in ("pro", "enterprise") and count("Feature
 * Used" where feature = "A" within 90d) > 5 and ... B ... > 5 and count("Ticket Created" within
 * 90d) >= 3}), over 1M and 10M profiles of {@link RetailShapedData} (5 trait columns: ltv, plan,
 * country, orders, newsletter; 3 aggregates).
 *
 * <ul>
 *   <li>{@code cdpkit}: the bitmap engine's count; {@code cdpkitMembers}: the same, building the
 *       bitmap of members;
 *   <li>{@code duckdbMaterialized}: DuckDB ({@code threads=1}) over one row per profile with the
 *       three aggregates as columns;
 *   <li>{@code duckdbRawEvents}: DuckDB computing the three windowed counts from the raw events;
 *   <li>{@code javaStreams}: a stream over profile objects that hold their events.
 * </ul>
 *
 * <p>Each fork loads only the engine it measures (from the same seeded data) and, before timing,
 * checks that its answer equals the count computed directly from the data. The setup writes the
 * load times, the index memory and each clause's selectivity to
 * {@code cdp-benchmarks/results/segment-<profiles>-<benchmark>.txt}.
 *
 * <p>Run (some 25 minutes; the 10M forks need about 18 GB):
 * {@code mvn -q -pl cdp-benchmarks -am package -DskipTests && java -jar
 * cdp-benchmarks/target/benchmarks.jar SegmentBenchmark -rf json -rff
 * cdp-benchmarks/results/segment.json}
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx18g", "-XX:+UseParallelGC"})
@Threads(1)
@State(Scope.Benchmark)
public class SegmentBenchmark {
  @Param({"1000000", "10000000"})
  int profiles;

  private SegmentEngines engines;

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) throws Exception {
    String method = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
    long t0 = System.nanoTime();
    RetailShapedData data = RetailShapedData.generate(profiles, 42);
    List<String> report = new ArrayList<>();
    report.add(String.format("%s, %,d profiles, %,d events (%s), generated in %.1f s", method,
        profiles, data.events(), data.real ? "bootstrapped from Online Retail"
            : "parametric stand-in: ../shared/data is absent", (System.nanoTime() - t0) / 1e9));
    engines = new SegmentEngines(data);
    long expected = engines.expectedCount();
    long actual;
    switch (method) {
      case "cdpkit":
      case "cdpkitMembers":
        engines.loadCdpkit();
        engines.describe();
        actual = method.equals("cdpkit") ? engines.cdpkitCount() : engines.cdpkitMembers();
        break;
      case "duckdbMaterialized":
        engines.loadDuckDb(false);
        actual = engines.duckMaterialized();
        break;
      case "duckdbRawEvents":
        engines.loadDuckDb(true);
        actual = engines.duckRawEvents();
        break;
      default:
        engines.loadStreams();
        actual = engines.streamsCount();
    }
    report.addAll(engines.report);
    report.add(String.format("answer %,d profiles; computed directly from the data: %,d", actual,
        expected));
    Path out = Paths.get("cdp-benchmarks/results");
    if (Files.isDirectory(out)) {
      Files.write(out.resolve("segment-" + profiles + "-" + method + ".txt"), report);
    }
    report.forEach(System.out::println);
    if (actual != expected) {
      throw new IllegalStateException(method + " answers " + actual + ", the data says "
          + expected);
    }
    System.gc(); // what setup left behind is collected now, not inside a timed iteration
  }

  @TearDown(Level.Trial)
  public void tearDown() throws SQLException {
    engines.close();
  }

  @Benchmark
  public long cdpkit() {
    return engines.cdpkitCount();
  }

  @Benchmark
  public long cdpkitMembers() {
    return engines.cdpkitMembers();
  }

  @Benchmark
  public long duckdbMaterialized() throws SQLException {
    return engines.duckMaterialized();
  }

  @Benchmark
  public long duckdbRawEvents() throws SQLException {
    return engines.duckRawEvents();
  }

  @Benchmark
  public long javaStreams() {
    return engines.streamsCount();
  }
}
