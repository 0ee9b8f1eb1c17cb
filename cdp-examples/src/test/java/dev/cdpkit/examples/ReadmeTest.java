package dev.cdpkit.examples;

import static dev.cdpkit.segment.Segments.and;
import static dev.cdpkit.segment.Segments.count;
import static dev.cdpkit.segment.Segments.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.cdpkit.Audience;
import dev.cdpkit.Cdp;
import dev.cdpkit.DeletionReport;
import dev.cdpkit.Event;
import dev.cdpkit.FrequencyCap;
import dev.cdpkit.Identifier;
import dev.cdpkit.IdentityRules;
import dev.cdpkit.Segment;
import dev.cdpkit.SegmentResult;
import dev.cdpkit.SyncReport;
import dev.cdpkit.destination.FileDestination;
import dev.cdpkit.destination.InMemoryDestination;
import dev.cdpkit.jdbc.JdbcProfileStore;
import dev.cdpkit.segment.SegmentExpr;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The README cannot drift from the code: every {@code java} block in it appears, line for line,
 * in the examples' sources (this class, {@code QuickStart}), and this class runs each of them and
 * checks what its comments say.
 */
class ReadmeTest {
  private static final Logger log = LoggerFactory.getLogger(ReadmeTest.class);

  @TempDir
  Path dir;

  private static Path project() {
    Path here = Path.of("").toAbsolutePath();
    return Files.exists(here.resolve("README.md")) ? here : here.getParent();
  }

  private static List<String> trimmed(List<String> lines) {
    List<String> out = new ArrayList<>();
    for (String l : lines) {
      if (!l.isBlank()) {
        out.add(l.strip());
      }
    }
    return out;
  }

  @Test
  void everyJavaBlockOfTheReadmeIsCodeThatRuns() throws IOException {
    List<String> readme = Files.readAllLines(project().resolve("README.md"));
    List<List<String>> blocks = new ArrayList<>();
    List<String> block = null;
    for (String line : readme) {
      if (line.strip().equals("```java")) {
        block = new ArrayList<>();
      } else if (block != null && line.strip().equals("```")) {
        blocks.add(trimmed(block));
        block = null;
      } else if (block != null) {
        block.add(line);
      }
    }
    assertThat(blocks).hasSizeGreaterThanOrEqualTo(5);
    List<List<String>> sources = new ArrayList<>();
    Path examples = project().resolve("cdp-examples");
    for (String file : List.of("src/main/java/dev/cdpkit/examples/QuickStart.java",
        "src/test/java/dev/cdpkit/examples/ReadmeTest.java")) {
      sources.add(trimmed(Files.readAllLines(examples.resolve(file))));
    }
    for (List<String> b : blocks) {
      assertThat(sources.stream().anyMatch(s -> java.util.Collections.indexOfSubList(s, b) >= 0))
          .as("README block starting '%s' is not in QuickStart or ReadmeTest, line for line",
              b.get(0)).isTrue();
    }
  }

  @Test
  void quickStart() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream was = System.out;
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      QuickStart.main(new String[0]);
    } finally {
      System.setOut(was);
    }
    List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines.get(0)).contains("user_id:u-17", "email:jane@example.com",
        "stripe_customer_id:cus_42");
    assertThat(lines.get(1)).isEqualTo("1");
    assertThat(lines.get(2)).contains("added=1", "removed=0");
    assertThat(lines.get(3)).contains("added=0", "removed=1");
  }

  @Test
  void identityRules() {
    IdentityRules rules = IdentityRules.builder()
        .priority("user_id", "email", "phone", "device_id", "anonymous_id")  // highest first
        .limit("user_id", 1)                      // two user ids never share a profile
        .defaultLimit(5)                          // at most 5 values of any other type
        .block("email", "test@test.com")          // the QA account never matches
        .blockPattern("phone", "^0+$")            // nor a phone of zeros
        .normalizer("salesforce_id", v -> v.toUpperCase(Locale.ROOT))
        .build();
    try (Cdp cdp = Cdp.builder().identityRules(rules).build()) {
      cdp.ingest(Event.identify().userId("qa-1").email("test@test.com").build());
      cdp.ingest(Event.identify().userId("qa-2").email("test@test.com").build());
      assertThat(cdp.profileCount()).isEqualTo(2);
    }
  }

  @Test
  void segments() {
    try (Cdp cdp = Cdp.builder().build()) {
      cdp.ingest(Event.identify().userId("u").trait("ltv", 2000).trait("plan", "pro").build());
      SegmentResult r = cdp.evaluate("""
          ltv > 1000 and plan in ("pro", "enterprise")
            and count("Feature Used" where feature = "A" within 90d) > 5
            and count("Feature Used" where feature = "B" within 90d) > 5
            and count("Ticket Created" within 90d) >= 3""");
      r.count();          // how many
      r.members();        // an ImmutableRoaringBitmap of profile rows: a snapshot, later messages do not change it
      r.profiles();       // Stream<Profile>

      Segment power = cdp.defineSegment("power_users", "count(\"Feature Used\" within 30d) >= 10");
      cdp.evaluate("in segment \"power_users\" and not consented \"marketing\"");
      power.count();      // evaluated now, at the clock's instant
      power.clauseCounts();
      assertThat(r.count()).isZero();
      assertThat(power.clauseCounts()).hasSize(1);
    }
  }

  @Test
  void segmentsInJava() {
    SegmentExpr same = and(path("ltv").gt(1000),
        count("Feature Used").where(path("feature").eq("A")).within(90, 'd').gt(5),
        count("Ticket Created").within(90, 'd').ge(3));
    assertThat(same).isEqualTo(SegmentExpr.parse("""
        ltv > 1000
          and count("Feature Used" where feature = "A" within 90d) > 5
          and count("Ticket Created" within 90d) >= 3"""));
    assertThatThrownBy(() -> SegmentExpr.parse("ltv > ")).hasMessage("line 1, column 7:"
        + " expected a literal (a number, a string in quotes, true or false) but found the end"
        + " of the expression\nltv > \n      ^");
  }

  @Test
  void aDatabase() {
    try (HikariDataSource dataSource = new HikariDataSource()) {
      dataSource.setJdbcUrl("jdbc:h2:file:" + dir.resolve("db").toAbsolutePath());
      JdbcProfileStore store = JdbcProfileStore.create(dataSource);  // H2 or PostgreSQL, detected
      try (Cdp cdp = Cdp.builder().store(store).build()) {
        cdp.profileCount();  // what the database holds; the indexes open from their snapshot
      }
    }
  }

  @Test
  void liveAudiences() throws IOException {
    InMemoryDestination adNetwork = new InMemoryDestination("marketing", "ads");
    try (Cdp cdp = Cdp.builder().frequencyCap(FrequencyCap.of("email", 2, Duration.ofDays(7))).build()) {
      cdp.onMembershipChange(c -> log.info("{} {} {}", c.profileId(),
          c.entered() ? "entered" : "left", c.segment()));  // once per real change, whatever caused it
      cdp.defineSegment("ebook", "account.arr > 100000 and count(\"Feature Used\" within 30d) < 3");
      cdp.addAudience(Audience.builder("ebook-email", "ebook",
          new FileDestination(dir, FileDestination.Format.CSV, "marketing", "email", "email"))
          .identifiers("email").priority(10).build());
      cdp.addAudience(Audience.builder("ebook-ads", "ebook", adNetwork).hashed("email", "phone").build());
      List<SyncReport> reports = cdp.syncAll();          // first: everything; then only the diffs
      cdp.recordContact(Identifier.of("email", "jane@example.com"), "email");   // counts to the cap
      Optional<Instant> next = cdp.tick();               // windows slid? tells who left; says when next
      DeletionReport d = cdp.forget(Identifier.of("email", "jane@example.com"));
    }
    assertThat(adNetwork.received()).hasSize(1).allMatch(sync -> sync.full());
    assertThat(dir.resolve("ebook-email.csv")).exists();
  }
}
