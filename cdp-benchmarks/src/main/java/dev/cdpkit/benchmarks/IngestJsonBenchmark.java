package dev.cdpkit.benchmarks;

import dev.cdpkit.Cdp;
import dev.cdpkit.IngestResult;
import java.time.Instant;
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
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final String CONTEXT = "\"context\":{\"page\":{\"path\":\"/pricing\","
      + "\"referrer\":\"https://www.google.com/\",\"search\":\"\",\"title\":\"Pricing - Acme\","
      + "\"url\":\"https://acme.example/pricing\"},\"userAgent\":\"Mozilla/5.0 (Windows NT 10.0;"
      + " Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/108.0.5359.29"
      + " Safari/537.36\",\"userAgentData\":{\"brands\":[],\"mobile\":false,\"platform\":\"\"},"
      + "\"locale\":\"en-US\",\"library\":{\"name\":\"analytics.js\",\"version\":"
      + "\"npm:next-1.72.0\"},\"timezone\":\"America/Chicago\",\"campaign\":{\"name\":"
      + "\"winter\",\"source\":\"newsletter\",\"medium\":\"email\"},\"ip\":\"203.0.113.7\"},"
      + "\"integrations\":{},\"writeKey\":\"<SOME_WRITE_KEY>\",\"_metadata\":{\"bundled\":"
      + "[\"Segment.io\"],\"unbundled\":[],\"bundledIds\":[]}";

  /** How many distinct users the messages come from. */
  @Param({"50000"})
  public int users;

  private Cdp cdp;
  private long n;

  /**
   * One Cdp for the whole run: the store grows by every message, as a real one does (some five
   * million messages by the end, hence the 8 GB heap).
   */
  @Setup(Level.Trial)
  public void setUp() {
    cdp = Cdp.builder().build();
    n = 0;
  }

  /** Closes the Cdp. */
  @TearDown(Level.Trial)
  public void tearDown() {
    cdp.close();
  }

  /** Builds the next message: a track, or every tenth an identify. */
  String next() {
    long i = n++;
    long user = i % users;
    String at = START.plusMillis(i * 10).toString();
    StringBuilder sb = new StringBuilder(1400);
    if (i % 10 == 0) {
      sb.append("{\"type\":\"identify\",\"userId\":\"user-").append(user)
          .append("\",\"anonymousId\":\"anon-").append(user)
          .append("-1fb4b6f9-accb-4b69-b8a4-e357fd87e172\",\"traits\":{\"email\":\"user")
          .append(user).append("@example.com\",\"plan\":\"")
          .append(i % 3 == 0 ? "pro" : "free").append("\",\"ltv\":").append(i % 5000)
          .append(",\"company\":{\"name\":\"Acme\",\"employees\":120}},");
    } else {
      sb.append("{\"type\":\"track\",\"event\":\"Feature Used\",\"userId\":\"user-")
          .append(user).append("\",\"anonymousId\":\"anon-").append(user)
          .append("-1fb4b6f9-accb-4b69-b8a4-e357fd87e172\",\"properties\":{\"feature\":\"")
          .append((char) ('A' + i % 3)).append("\",\"duration_ms\":").append(i % 9000)
          .append(",\"plan\":\"pro\",\"path\":\"/app/reports\"},");
    }
    return sb.append(CONTEXT).append(",\"messageId\":\"ajs-next-").append(i)
        .append("-db6978a4-e357-4d87-a172-b42aa3aebd8c\",\"timestamp\":\"").append(at)
        .append("\",\"sentAt\":\"").append(at).append("\"}").toString();
  }

  /** One message through {@code ingestJson}. */
  @Benchmark
  public IngestResult ingestJson() {
    return cdp.ingestJson(next());
  }

  /** Only building the message text: subtract it from {@link #ingestJson} to see cdpkit alone. */
  @Benchmark
  public String buildMessageOnly() {
    return next();
  }
}
