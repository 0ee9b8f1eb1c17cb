package dev.cdpkit.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cdpkit.Audience;
import dev.cdpkit.Cdp;
import dev.cdpkit.ClauseCount;
import dev.cdpkit.DeletionReport;
import dev.cdpkit.Event;
import dev.cdpkit.FrequencyCap;
import dev.cdpkit.Identifier;
import dev.cdpkit.IdentityRules;
import dev.cdpkit.IngestResult;
import dev.cdpkit.MembershipChange;
import dev.cdpkit.Segment;
import dev.cdpkit.SyncReport;
import dev.cdpkit.destination.FileDestination;
import dev.cdpkit.identity.RejectedIdentifier;
import dev.cdpkit.jdbc.JdbcProfileStore;
import dev.cdpkit.store.InMemoryProfileStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The example the README runs first: a B2B SaaS company has the same customers in five tools;
 * cdpkit joins them into one profile each, answers the product manager's questions, sends one
 * audience to three tools (respecting consent and a cap on emails), follows it through a week,
 * and forgets a customer everywhere. On the embedded H2 store, in a file under
 * {@code target/cdpkit-example/} that the next run reuses (it is then incremental).
 *
 * <pre>
 * mvn -q -pl cdp-examples -am package -DskipTests exec:java
 * mvn -q -pl cdp-examples -am package -DskipTests exec:java -Dexec.args="--customers 1000000 --memory"
 * mvn -q -pl cdp-examples -am package -DskipTests exec:java -Dexec.args="--data ../shared/data/telco"
 * mvn -q -pl cdp-examples -am package -DskipTests exec:java \
 *     -Dexec.args="--jdbc jdbc:postgresql://localhost/cdp --user cdp --password secret"
 * </pre>
 *
 * <p>Stateless: each {@link #run} plays the story on its own {@code Cdp}.
 */
public final class ProductManagerStory {
  /** The seed's first question: valuable, engaged customers who needed support. */
  public static final String POWER_USERS = "ltv > 2000"
      + " and count(\"Feature Used\" where feature = \"A\" within 90d) > 3"
      + " and count(\"Feature Used\" where feature = \"B\" within 90d) > 3"
      + " and count(\"Ticket Created\" within 90d) >= 2";
  /** The second: high-value accounts with low adoption of feature C, for an e-book and offer. */
  public static final String EBOOK_OFFER = "account.arr >= 100000 and ltv > 1500"
      + " and count(\"Feature Used\" where feature = \"C\" within 90d) < 2";
  /** At most this many emails per customer in a week. */
  public static final int EMAIL_CAP = 2;

  /**
   * How to run.
   *
   * @param customers how many customers to generate
   * @param seed the generator's seed
   * @param dir where the H2 file and the destinations' files go
   * @param jdbcUrl a database instead of the H2 file (null for H2)
   * @param user the database user
   * @param password the database password
   * @param telco the Telco file set to load as well (null for none)
   * @param memory whether to keep everything in memory instead (for a million customers)
   */
  public record Options(int customers, long seed, Path dir, String jdbcUrl, String user,
      String password, Path telco, boolean memory) {
    /** The defaults: 2,000 customers, seed 42, {@code target/cdpkit-example}, H2. */
    public static Options defaults() {
      return new Options(2000, 42, Paths.get("target", "cdpkit-example"), null, null, null,
          null, false);
    }
  }

  /**
   * What the story found, for checking.
   *
   * @param records messages ingested
   * @param profiles profiles after ingestion
   * @param refused identifiers the rules refused to link, by {@code type:value}, with reasons
   * @param counts members of each segment: at the start, and a week later
   * @param clauses each segment's clause counts at the start
   * @param first the first syncs, by audience
   * @param second the syncs a week later
   * @param told the week's net membership changes, by segment: profiles in that were not, and
   *     profiles out that were in
   * @param forgotten the email of the customer forgotten
   * @param deletion what forgetting removed
   * @param afterForget the syncs after forgetting
   * @param telcoProfiles profiles of the Telco file set, or -1
   */
  public record Outcome(int records, long profiles, Map<String, Map<String, Integer>> refused,
      Map<String, long[]> counts, Map<String, List<ClauseCount>> clauses,
      Map<String, SyncReport> first,
      Map<String, SyncReport> second, Map<String, int[]> told, String forgotten,
      DeletionReport deletion, Map<String, SyncReport> afterForget, long telcoProfiles) {}

  private ProductManagerStory() {}

  /** Runs the story; see the class comment for the options. */
  public static void main(String[] args) throws IOException {
    Options o = Options.defaults();
    for (int i = 0; i < args.length; i++) {
      String v = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--customers" -> o = new Options(Integer.parseInt(need(args, i)), o.seed(), o.dir(),
            o.jdbcUrl(), o.user(), o.password(), o.telco(), o.memory());
        case "--seed" -> o = new Options(o.customers(), Long.parseLong(need(args, i)), o.dir(),
            o.jdbcUrl(), o.user(), o.password(), o.telco(), o.memory());
        case "--dir" -> o = new Options(o.customers(), o.seed(), Paths.get(need(args, i)),
            o.jdbcUrl(), o.user(), o.password(), o.telco(), o.memory());
        case "--jdbc" -> o = new Options(o.customers(), o.seed(), o.dir(), need(args, i),
            o.user(), o.password(), o.telco(), o.memory());
        case "--user" -> o = new Options(o.customers(), o.seed(), o.dir(), o.jdbcUrl(),
            need(args, i), o.password(), o.telco(), o.memory());
        case "--password" -> o = new Options(o.customers(), o.seed(), o.dir(), o.jdbcUrl(),
            o.user(), need(args, i), o.telco(), o.memory());
        case "--data" -> o = new Options(o.customers(), o.seed(), o.dir(), o.jdbcUrl(), o.user(),
            o.password(), Paths.get(need(args, i)), o.memory());
        case "--memory" -> o = new Options(o.customers(), o.seed(), o.dir(), o.jdbcUrl(),
            o.user(), o.password(), o.telco(), true);
        default -> throw new IllegalArgumentException("unknown option " + args[i] + "; expected"
            + " --customers N, --seed S, --dir DIR, --jdbc URL [--user U --password P],"
            + " --memory or --data DIR (the Telco CSV folder)");
      }
      if (v != null && !args[i].equals("--memory")) {
        i++;
      }
    }
    run(o, System.out);
  }

  private static String need(String[] args, int i) {
    if (i + 1 >= args.length) {
      throw new IllegalArgumentException(args[i] + " needs a value");
    }
    return args[i + 1];
  }

  /** A clock the story moves on. */
  static final class StoryClock extends Clock {
    private volatile Instant now;

    StoryClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
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

  /** Plays the story, printing to {@code out}. */
  public static Outcome run(Options o, PrintStream out) throws IOException {
    Files.createDirectories(o.dir());
    HikariConfig pool = new HikariConfig();
    pool.setJdbcUrl(o.jdbcUrl() != null ? o.jdbcUrl()
        : "jdbc:h2:file:" + o.dir().toAbsolutePath().resolve("cdpkit"));
    pool.setUsername(o.user());
    pool.setPassword(o.password());
    pool.setMaximumPoolSize(4);
    SaasData data = SaasData.generate(o.customers(), o.seed());
    StoryClock clock = new StoryClock(SaasData.NOW);
    IdentityRules rules = IdentityRules.builder()
        .priority("user_id", "email", "phone", "device_id", "anonymous_id")
        .limit("user_id", 1)              // one person, one login
        .defaultLimit(5)                  // at most five emails, phones, devices... each
        .block("email", SaasData.QA_EMAIL) // the QA team's shared login links no one
        .build();
    try (HikariDataSource ds = o.memory() ? null : new HikariDataSource(pool);
        Cdp cdp = Cdp.builder().store(o.memory() ? new InMemoryProfileStore()
            : JdbcProfileStore.create(ds)).clock(clock)
            .identityRules(rules).frequencyCap(FrequencyCap.of("email", EMAIL_CAP,
                Duration.ofDays(7))).build()) {
      out.printf("cdpkit: a B2B SaaS company's customers in five tools (%,d customers, seed %d;"
          + " %s)%n%n", o.customers(), o.seed(), o.memory() ? "in memory"
          : o.jdbcUrl() != null ? o.jdbcUrl() : "H2 file " + o.dir().resolve("cdpkit.mv.db"));

      // 1. ingest the five tools
      out.println("1. Ingesting what each tool knows");
      Map<String, Map<String, Integer>> refused = new TreeMap<>();
      int records = 0;
      long started = System.nanoTime();
      for (SaasData.Source s : data.sources()) {
        int messages = 0;
        int applied = 0;
        List<Event> batch = new ArrayList<>();
        java.util.Iterator<Object> it = s.messages().iterator();
        while (it.hasNext() || !batch.isEmpty()) {
          Object m = it.hasNext() ? it.next() : null;
          List<IngestResult> results = new ArrayList<>();
          if (m instanceof Event e) {
            batch.add(e);
          }
          if (!batch.isEmpty() && (batch.size() == 500 || !(m instanceof Event))) {
            results.add(cdp.ingest(batch)); // one transaction per 500
            batch = new ArrayList<>();
          }
          if (m instanceof String json) {
            results.add(cdp.ingestJson(json)); // a Segment batch envelope: one transaction
          }
          for (IngestResult r : results) {
            messages += r.messages().size();
            applied += r.applied();
            for (IngestResult.Message msg : r.messages()) {
              for (RejectedIdentifier x : msg.rejectedIdentifiers()) {
                refused.computeIfAbsent(x.identifier().toString(), k -> new TreeMap<>())
                    .merge(x.reason(), 1, Integer::sum);
              }
            }
          }
        }
        records += messages;
        out.printf("   %-10s %-48s %,7d messages (%,d new)%n", s.name(), s.knows(), messages,
            applied);
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      long profiles = cdp.profileCount();
      out.printf("   %,d records became %,d profiles in %.1f s: %,d customers, %d QA logins,"
          + " %,d anonymous visitors%n", records, profiles, seconds,
          data.customers().size(), SaasData.QA_LOGINS,
          data.expectedProfiles() - data.customers().size() - SaasData.QA_LOGINS);
      out.println("   Merges the identity rules refused, and why:");
      for (String id : List.of("device_id:" + SaasData.SHARED_DEVICE,
          "email:" + SaasData.QA_EMAIL)) {
        Map<String, Integer> why = refused.getOrDefault(id, Map.of());
        if (!why.isEmpty()) {
          String reason = why.keySet().iterator().next();
          out.printf("     %-26s refused %d times: %s%n", id, why.values().stream()
              .mapToInt(Integer::intValue).sum(), reason.replaceAll(": \\[.*", ""));
        }
      }

      // 2. the product manager's questions
      out.println();
      out.println("2. The product manager's segments, clause by clause");
      Segment power = cdp.defineSegment("power_users", POWER_USERS);
      Segment ebook = cdp.defineSegment("ebook_offer", EBOOK_OFFER);
      Map<String, long[]> counts = new LinkedHashMap<>();
      Map<String, List<ClauseCount>> clauses = new LinkedHashMap<>();
      for (Segment s : List.of(power, ebook)) {
        out.printf("   %s%n", s.name());
        clauses.put(s.name(), s.clauseCounts());
        for (ClauseCount c : clauses.get(s.name())) {
          out.printf("     %-66s alone %,6d  kept %,6d%n", c.clause(), c.alone(), c.kept());
        }
        counts.put(s.name(), new long[] {s.count(), 0});
      }

      // 3. send the e-book audience to three tools
      out.println();
      out.printf("3. Syncing ebook_offer to three tools (marketing consent; at most %d emails a"
          + " week)%n", EMAIL_CAP);
      Path outDir = o.dir().resolve("destinations");
      FileDestination emailTool = new FileDestination(outDir, FileDestination.Format.CSV,
          "marketing", "email", "email");
      FileDestination chat = new FileDestination(outDir, FileDestination.Format.JSON_LINES,
          "marketing", "in_app");
      FileDestination ads = new FileDestination(outDir, FileDestination.Format.CSV, "marketing",
          "ads", "email_sha256");
      cdp.addAudience(Audience.builder("ebook-email", "ebook_offer", emailTool)
          .identifiers("email").build());
      cdp.addAudience(Audience.builder("ebook-chat", "ebook_offer", chat)
          .identifiers("user_id").build());
      cdp.addAudience(Audience.builder("ebook-ads", "ebook_offer", ads).hashed("email").build());
      Map<String, SyncReport> first = print(cdp.syncAll(), out);
      out.printf("   files: %s, %s, %s%n", emailTool.file("ebook-email"),
          chat.file("ebook-chat").getFileName(), ads.file("ebook-ads").getFileName());

      // 4. a week later
      out.println();
      out.println("4. A week later, with a day of new events");
      // per segment and profile, the net change over the week (a profile may leave as its
      // events age and come back with the day's new ones: the listener hears both)
      Map<String, Map<dev.cdpkit.ProfileId, Integer>> net = new TreeMap<>();
      List<String> examples = new ArrayList<>();
      cdp.onMembershipChange((MembershipChange c) -> {
        net.computeIfAbsent(c.segment(), k -> new HashMap<>())
            .merge(c.profileId(), c.entered() ? 1 : -1, Integer::sum);
        if (examples.size() < 3) {
          examples.add(c.segment() + (c.entered() ? " + " : " - ") + cdp.profile(c.profileId())
              .map(p -> String.join(",", p.identifiers("email"))).orElse(c.profileId().value()));
        }
      });
      clock.advance(Duration.ofDays(7));
      for (Event e : data.nextDay(clock.instant().minus(Duration.ofDays(1)))) {
        cdp.ingest(e);
      }
      cdp.tick();
      Map<String, int[]> week = new TreeMap<>();
      net.forEach((name, changes) -> {
        int[] t = new int[2];
        for (int v : changes.values()) {
          if (v > 0) {
            t[0]++;
          } else if (v < 0) {
            t[1]++;
          }
        }
        week.put(name, t);
      });
      for (String name : List.of("power_users", "ebook_offer")) {
        int[] t = week.getOrDefault(name, new int[2]);
        long now = cdp.segment(name).orElseThrow().count();
        counts.get(name)[1] = now;
        out.printf("   %-12s entered %,5d  exited %,5d  members %,6d -> %,6d%n", name, t[0],
            t[1], counts.get(name)[0], now);
      }
      examples.forEach(e -> out.printf("     for example %s%n", e));
      Map<String, SyncReport> second = print(cdp.syncAll(), out);

      // 5. forget one customer
      out.println();
      String forgotten = firstMember(cdp, ebook);
      out.printf("5. Forgetting %s (right to be forgotten)%n", forgotten);
      DeletionReport deletion = cdp.forget(Identifier.of("email", forgotten));
      out.printf("   deleted profile %s: %d messages, %d identifiers, %d traits; left %s;"
          + " still to remove from %s%n", deletion.profileId().map(Object::toString)
          .orElse("(none)"), deletion.messages(), deletion.identifiers(), deletion.traits(),
          deletion.segmentsLeft(), deletion.audiencesToUpdate());
      Map<String, SyncReport> afterForget = print(cdp.syncAll(), out);
      boolean anywhere = false;
      for (Path f : List.of(emailTool.file("ebook-email"), chat.file("ebook-chat"),
          ads.file("ebook-ads"))) {
        String text = Files.exists(f) ? Files.readString(f) : "";
        anywhere |= text.contains(forgotten) || text.contains(
            dev.cdpkit.destination.PiiHash.hashEmail(forgotten));
      }
      out.printf("   in any destination's file now: %s; a new message from them: %s%n",
          anywhere ? "yes" : "no", cdp.ingest(Event.track("Feature Used")
              .email(forgotten).build()).messages().get(0).status());

      long telcoProfiles = -1;
      if (o.telco() != null) {
        out.println();
        telcoProfiles = TelcoFiles.load(cdp, o.telco(), out);
      }
      return new Outcome(records, profiles,
          refused, counts, clauses, first, second, week, forgotten, deletion, afterForget,
          telcoProfiles);
    }
  }

  /** The ebook audience's member whose email sorts first, among those the email tool got. */
  private static String firstMember(Cdp cdp, Segment s) {
    TreeSet<String> emails = new TreeSet<>();
    s.profiles().filter(p -> Boolean.TRUE.equals(p.consents().get("marketing")))
        .forEach(p -> emails.addAll(p.identifiers("email")));
    return emails.isEmpty() ? "nobody@example.com" : emails.first();
  }

  private static Map<String, SyncReport> print(List<SyncReport> reports, PrintStream out) {
    Map<String, SyncReport> byName = new LinkedHashMap<>();
    for (SyncReport r : reports) {
      byName.put(r.audience(), r);
      out.printf("   %-12s %s added %,5d removed %,5d updated %,3d  now %,5d  (left out: %,d"
          + " without consent, %,d capped)%s%n", r.audience(), r.full() ? "first sync:" : "diff:     ",
          r.added(), r.removed(), r.updated(), r.members(), r.withoutConsent(), r.capped(),
          r.error().map(e -> "  FAILED: " + e).orElse(""));
    }
    return byName;
  }

}
