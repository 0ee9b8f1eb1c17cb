package dev.cdpkit.benchmarks;

import dev.cdpkit.Cdp;
import dev.cdpkit.Event;
import dev.cdpkit.IdentityRules;
import dev.cdpkit.Identifier;
import dev.cdpkit.IngestResult;
import dev.cdpkit.ProfileId;
import dev.cdpkit.identity.DeterministicIdentityResolver;
import dev.cdpkit.identity.IdentityGraph;
import dev.cdpkit.identity.IdentityResolver;
import dev.cdpkit.identity.Resolution;
import dev.cdpkit.store.InMemoryProfileStore;
import dev.cdpkit.store.ProfileRecord;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Identity resolution with the default rules ({@code IdentityRules.defaults()}), in memory, one
 * thread:
 *
 * <ul>
 *   <li>{@code resolverOnly}: the resolver alone deciding for one message of 2 to 4 identifiers
 *       against a graph of 100,000 linked people (one in 50 also carries a shared device).
 *   <li>{@code resolve}: typed messages ({@link Cdp#ingest}) that carry 2 to 4 identifiers of one
 *       of 100,000 people (user id, email, phone, device, anonymous ids), time-ordered; one in 50
 *       also carries a device shared by everyone, which the user-id limit keeps from merging
 *       anybody. Includes building each event (about a tenth of the time, see
 *       {@code buildEventOnly}).
 *   <li>{@code lateMessage}: a message older than all 1,000 messages of a profile, carrying a new
 *       identifier, so that the profile is derived again from its messages.
 *   <li>{@code split}: {@link Cdp#removeIdentifier} of the device that holds a profile of 1,000
 *       messages of two people together.
 * </ul>
 *
 * <p>Run: {@code mvn -q -pl cdp-benchmarks -am package -DskipTests && java -jar
 * cdp-benchmarks/target/benchmarks.jar IdentityBenchmark -rf json -rff
 * cdp-benchmarks/results/identity.json}
 */
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 2, jvmArgsAppend = {"-Xmx4g"})
@Threads(1)
public class IdentityBenchmark {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  /** A stream of messages from 100,000 people. */
  @State(Scope.Thread)
  public static class Stream {
    static final int PEOPLE = 100_000;
    final Identifier[][] ids = new Identifier[PEOPLE][];
    final Identifier shared = Identifier.of("device_id", "kiosk-1");
    Random random;
    Cdp cdp;
    long n;

    /** Precomputes every person's identifiers. */
    @Setup(Level.Trial)
    public void people() {
      for (int p = 0; p < PEOPLE; p++) {
        ids[p] = new Identifier[] {
            Identifier.of("user_id", "user-" + p),
            Identifier.of("email", "person" + p + "@example.com"),
            Identifier.of("phone", "+4470" + (10_000_000 + p)),
            Identifier.of("device_id", "dev-" + p),
            Identifier.of("anonymous_id", "anon-" + p + "-a"),
            Identifier.of("anonymous_id", "anon-" + p + "-b")};
      }
    }

    /** A fresh Cdp each iteration, so memory stays bounded. */
    @Setup(Level.Iteration)
    public void fresh() {
      cdp = Cdp.builder().build();
      random = new Random(42);
      n = 0;
    }

    /** Closes the iteration's Cdp. */
    @TearDown(Level.Iteration)
    public void close() {
      cdp.close();
    }

    Event next() {
      long i = n++;
      Identifier[] person = ids[random.nextInt(PEOPLE)];
      Event.Builder b = i % 3 == 0 ? Event.identify() : Event.track("Feature Used");
      int count = 2 + random.nextInt(3);
      int first = random.nextInt(person.length);
      for (int k = 0; k < count; k++) {
        b.identifier(person[(first + k) % person.length]);
      }
      if (i % 50 == 0) {
        b.identifier(shared);
      }
      return b.timestamp(START.plusMillis(i)).messageId("m" + i).build();
    }
  }

  /** One message through identity resolution and the in-memory store. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public IngestResult resolve(Stream s) {
    return s.cdp.ingest(s.next());
  }

  /** Only building the event: the part of {@link #resolve} that is not cdpkit's. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public Event buildEventOnly(Stream s) {
    return s.next();
  }

  /**
   * The resolver alone, against an identity graph of the 100,000 people, each linked by one
   * message with all six identifiers.
   */
  @State(Scope.Thread)
  public static class Graph {
    final Stream stream = new Stream();
    final IdentityResolver resolver = new DeterministicIdentityResolver(IdentityRules.defaults());
    IdentityGraph graph;
    Event[] events;
    Set<Identifier>[] identifiers;
    int next;

    /** Links everybody, then prepares 100,000 messages of 2 to 4 identifiers each. */
    @Setup(Level.Trial)
    @SuppressWarnings("unchecked")
    public void build() {
      stream.people();
      InMemoryProfileStore store = new InMemoryProfileStore();
      Cdp cdp = Cdp.builder().store(store).build();
      for (int p = 0; p < Stream.PEOPLE; p++) {
        Event.Builder b = Event.identify().timestamp(START).messageId("p" + p);
        for (Identifier i : stream.ids[p]) {
          b.identifier(i);
        }
        cdp.ingest(b.build());
      }
      graph = new IdentityGraph() {
        @Override
        public Optional<ProfileId> profileOf(Identifier identifier) {
          return store.profileOf(identifier);
        }

        @Override
        public Set<Identifier> identifiers(ProfileId profile) {
          return store.profile(profile).map(ProfileRecord::identifiers).orElse(Set.of());
        }
      };
      stream.random = new Random(7);
      events = new Event[100_000];
      identifiers = new Set[events.length];
      for (int i = 0; i < events.length; i++) {
        events[i] = stream.next();
        identifiers[i] = events[i].identifiers();
      }
      System.gc(); // measure resolution, not the collection of what building the graph left
    }
  }

  /** One resolution: which profile, which merges, which identifiers are left out. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Warmup(iterations = 5, time = 3)
  public Resolution resolverOnly(Graph g) {
    int i = g.next++ % g.events.length;
    return g.resolver.resolve(g.events[i], g.identifiers[i], g.graph);
  }

  /**
   * A profile of 1,000 messages: two people's emails and anonymous ids, glued together by the
   * kiosk device they both used.
   */
  @State(Scope.Thread)
  public static class Component {
    Cdp cdp;
    Event late;

    /** Builds the profile anew before every call: what is measured changes it. */
    @Setup(Level.Invocation)
    public void build() {
      cdp = Cdp.builder().build();
      for (int i = 0; i < 1000; i++) {
        String who = i % 2 == 0 ? "ann" : "bob";
        cdp.ingest(Event.track("Feature Used").email(who + "@example.com").deviceId("kiosk")
            .anonymousId("anon-" + who + "-" + (i % 3)).property("n", i)
            .timestamp(START.plusSeconds(1000 + i)).messageId("c" + i).build());
      }
      late = Event.identify().email("ann@example.com").phone("+4470123456").trait("plan", "pro")
          .timestamp(START).messageId("late").build();
    }
  }

  /** A late message that re-derives the profile of 1,000 messages. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  public IngestResult lateMessage(Component c) {
    return c.cdp.ingest(c.late);
  }

  /** Removing the kiosk device: the profile of 1,000 messages splits in two. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  public Set<ProfileId> split(Component c) {
    return c.cdp.removeIdentifier(Identifier.of("device_id", "kiosk"));
  }
}
