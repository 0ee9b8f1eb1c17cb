package dev.cdpkit.benchmarks;

import dev.cdpkit.Cdp;
import dev.cdpkit.IngestResult;
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

/**
 * Ingestion throughput: analytics.js-sized Segment Spec messages (about 1.3 KB, shaped like the
 * real browser payloads in {@code ../shared/data/segment-spec}), nine tracks to one identify,
 * through {@link Cdp#ingestJson} into the in-memory store with the default identity rules, on one
 * thread. Each message has a new message id and arrives in time order; 50,000 users, so profiles
 * accumulate events and traits, and the store holds every message of the run.
 *
 * <p>The score includes building each message's text from a template (a few hundred nanoseconds),
 * as an HTTP layer would hand cdpkit a fresh string.
 *
 * <p>Run: {@code mvn -q -pl cdp-benchmarks -am package -DskipTests && java -jar
 * cdp-benchmarks/target/benchmarks.jar IngestJsonBenchmark -rf json -rff
 * cdp-benchmarks/results/ingest-json.json}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 2, jvmArgsAppend = {"-Xms8g", "-Xmx8g", "-XX:+AlwaysPreTouch"})
@Threads(1)
public class IngestJsonBenchmark {
  /** How many distinct users the messages come from. */
  @Param({"50000"})
  public int users;

  private Cdp cdp;
  private SpecMessages messages;

  /**
   * One Cdp for the whole run: the store grows by every message, as a real one does (some five
   * million messages by the end, hence the 8 GB heap).
   */
  @Setup(Level.Trial)
  public void setUp() {
    cdp = Cdp.builder().build();
    messages = new SpecMessages(users);
  }

  /** Closes the Cdp. */
  @TearDown(Level.Trial)
  public void tearDown() {
    cdp.close();
  }

  /** One message through {@code ingestJson}. */
  @Benchmark
  public IngestResult ingestJson() {
    return cdp.ingestJson(messages.next());
  }

  /** Only building the message text: subtract it from {@link #ingestJson} to see cdpkit alone. */
  @Benchmark
  public String buildMessageOnly() {
    return messages.next();
  }
}
