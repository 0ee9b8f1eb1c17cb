package dev.cdpkit.benchmarks;

import dev.cdpkit.Cdp;
import dev.cdpkit.IngestResult;
import dev.cdpkit.jdbc.JdbcProfileStore;
import java.io.IOException;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Ingestion into the JDBC store, on one thread: the messages of {@code IngestJsonBenchmark}
 * (analytics.js-sized, nine tracks to one identify, 50,000 users) through {@code ingestJson},
 * one message per transaction ({@code oneByOne}) or 100 per {@code {"batch": [...]}} envelope and
 * transaction ({@code batchesOf100}; the score counts messages), into an H2 file database and a
 * real PostgreSQL 14 (embedded, default settings: every commit waits for its WAL flush), each a
 * fresh database per fork.
 *
 * <p>Run: {@code mvn -q -pl cdp-benchmarks -am package -DskipTests && java -jar
 * cdp-benchmarks/target/benchmarks.jar JdbcIngestBenchmark -rf json -rff
 * cdp-benchmarks/results/jdbc-ingest.json}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 4, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@Threads(1)
public class JdbcIngestBenchmark {
  @Param({"h2", "postgresql"})
  public String database;

  private Databases db;
  private Cdp cdp;
  private SpecMessages messages;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    db = new Databases(database);
    cdp = Cdp.builder().store(JdbcProfileStore.create(db.dataSource)).build();
    messages = new SpecMessages(50_000);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    cdp.close();
    db.close();
  }

  /** One message, one transaction. */
  @Benchmark
  public IngestResult oneByOne() {
    return cdp.ingestJson(messages.next());
  }

  /** A batch of 100 messages, one transaction; the score is messages per second. */
  @Benchmark
  @OperationsPerInvocation(100)
  public IngestResult batchesOf100() {
    return cdp.ingestJson(messages.nextBatch(100));
  }
}
