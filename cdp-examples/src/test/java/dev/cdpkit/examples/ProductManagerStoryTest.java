package dev.cdpkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdpkit.SyncReport;
import dev.cdpkit.destination.PiiHash;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The story's figures are right: every count it prints and every file it writes is computed here
 * again, independently, from the generator's truth (who each customer is, what they did when,
 * what they consented to), not from cdpkit.
 */
class ProductManagerStoryTest {
  private static final int CUSTOMERS = 800;
  private static final long SEED = 5;

  @TempDir
  Path dir;

  /** What the truth says the story must find. */
  private static final class Truth {
    final SaasData data = SaasData.generate(CUSTOMERS, SEED);
    final Map<String, Long> arr = new HashMap<>();
    private Map<Integer, List<SaasData.Happening>> byCustomer;

    Truth() {
      data.accounts().forEach(a -> arr.put(a.id(), a.arr()));
    }

    /** The data moved on a day: what the customers did is read again. */
    void nextDay(Instant start) {
      data.nextDay(start);
      byCustomer = null;
    }

    long count(SaasData.Customer c, String what, Instant now, Duration window) {
      if (byCustomer == null) {
        byCustomer = data.happenings().stream()
            .collect(Collectors.groupingBy(SaasData.Happening::customer));
      }
      return byCustomer.getOrDefault(c.index(), List.of()).stream().filter(h ->
          h.what().equals(what) && h.at().isAfter(now.minus(window)) && !h.at().isAfter(now))
          .count();
    }

    Set<String> power(List<SaasData.Customer> customers, Instant now) {
      Duration d90 = Duration.ofDays(90);
      return customers.stream().filter(c -> c.ltv() > 2000
          && count(c, "Feature Used A", now, d90) > 3 && count(c, "Feature Used B", now, d90) > 3
          && count(c, "Ticket Created", now, d90) >= 2).map(SaasData.Customer::email)
          .collect(Collectors.toCollection(TreeSet::new));
    }

    Set<String> ebook(List<SaasData.Customer> customers, Instant now) {
      return customers.stream().filter(c -> arr.get(c.accountId()) >= 100_000 && c.ltv() > 1500
          && count(c, "Feature Used C", now, Duration.ofDays(90)) < 2)
          .map(SaasData.Customer::email).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The e-book audience as each tool should hold it: consented, and for email under the cap. */
    Map<String, Set<String>> destinations(List<SaasData.Customer> customers, Instant now,
        Set<String> forgotten) {
      Set<String> ebook = ebook(customers, now);
      Set<String> email = new TreeSet<>();
      Set<String> chat = new TreeSet<>();
      Set<String> ads = new TreeSet<>();
      for (SaasData.Customer c : customers) {
        if (ebook.contains(c.email()) && c.marketing() && !forgotten.contains(c.email())) {
          if (count(c, "Email Sent", now, Duration.ofDays(7)) < ProductManagerStory.EMAIL_CAP) {
            email.add(c.email());
          }
          chat.add(c.userId());
          ads.add(PiiHash.sha256(c.email()));
        }
      }
      return Map.of("ebook-email", email, "ebook-chat", chat, "ebook-ads", ads);
    }
  }

  private static Map<String, Set<String>> files(Path dir) throws Exception {
    Path out = dir.resolve("destinations");
    Map<String, Set<String>> held = new HashMap<>();
    held.put("ebook-email", column(out.resolve("ebook-email.csv")));
    held.put("ebook-ads", column(out.resolve("ebook-ads.csv")));
    Set<String> users = new TreeSet<>();
    for (String line : Files.readAllLines(out.resolve("ebook-chat.jsonl"))) {
      users.add(line.replaceAll(".*\"user_id\":\\[\"([^\"]+)\".*", "$1"));
    }
    held.put("ebook-chat", users);
    return held;
  }

  private static Set<String> column(Path csv) throws Exception {
    return Files.readAllLines(csv).stream().skip(1).map(l -> l.substring(l.indexOf(',') + 1))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void everyFigureMatchesTheTruth() throws Exception {
    Truth truth = new Truth();
    List<SaasData.Customer> before = List.copyOf(truth.data.customers());
    Instant start = SaasData.NOW;
    Instant weekLater = start.plus(Duration.ofDays(7));
    // what the story will see: the same generator, so the same day of events
    Truth later = new Truth();
    later.nextDay(weekLater.minus(Duration.ofDays(1)));

    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ProductManagerStory.Outcome o = ProductManagerStory.run(new ProductManagerStory.Options(
        CUSTOMERS, SEED, dir, null, null, null, null, false), new PrintStream(printed, true,
        StandardCharsets.UTF_8));
    String text = printed.toString(StandardCharsets.UTF_8);

    // 1. one profile per customer, QA login and visitor; the shared device and QA email refused
    assertThat(o.records()).isEqualTo(truth.data.records());
    assertThat(o.profiles()).isEqualTo(truth.data.expectedProfiles());
    assertThat(o.refused()).containsKeys("device_id:" + SaasData.SHARED_DEVICE,
        "email:" + SaasData.QA_EMAIL);
    assertThat(text).contains(String.format("%,d records became %,d profiles",
        truth.data.records(), truth.data.expectedProfiles()));

    // 2. the segments
    Set<String> power = truth.power(before, start);
    Set<String> ebook = truth.ebook(before, start);
    assertThat(power).isNotEmpty();
    assertThat(ebook).isNotEmpty();
    assertThat(o.counts().get("power_users")[0]).isEqualTo(power.size());
    assertThat(o.counts().get("ebook_offer")[0]).isEqualTo(ebook.size());
    // each clause alone, and what is kept after it and the clauses before it
    Duration d90 = Duration.ofDays(90);
    List<java.util.function.Predicate<SaasData.Customer>> powerClauses = List.of(
        c -> c.ltv() > 2000,
        c -> truth.count(c, "Feature Used A", start, d90) > 3,
        c -> truth.count(c, "Feature Used B", start, d90) > 3,
        c -> truth.count(c, "Ticket Created", start, d90) >= 2);
    List<java.util.function.Predicate<SaasData.Customer>> ebookClauses = List.of(
        c -> truth.arr.get(c.accountId()) >= 100_000,
        c -> c.ltv() > 1500,
        c -> truth.count(c, "Feature Used C", start, d90) < 2);
    // the QA logins and the visitors have no traits and no events: of these clauses only
    // "fewer than 2 uses of C" holds for them
    long others = truth.data.expectedProfiles() - CUSTOMERS;
    Map<String, List<Boolean>> holdForEmpty = Map.of("power_users",
        List.of(false, false, false, false), "ebook_offer", List.of(false, false, true));
    for (Map.Entry<String, List<java.util.function.Predicate<SaasData.Customer>>> e : Map.of(
        "power_users", powerClauses, "ebook_offer", ebookClauses).entrySet()) {
      List<dev.cdpkit.ClauseCount> shown = o.clauses().get(e.getKey());
      java.util.function.Predicate<SaasData.Customer> kept = c -> true;
      boolean emptyKept = true;
      for (int i = 0; i < e.getValue().size(); i++) {
        java.util.function.Predicate<SaasData.Customer> clause = e.getValue().get(i);
        boolean empty = holdForEmpty.get(e.getKey()).get(i);
        emptyKept &= empty;
        kept = kept.and(clause);
        java.util.function.Predicate<SaasData.Customer> upTo = kept;
        assertThat(shown.get(i).alone()).as("%s clause %d alone", e.getKey(), i)
            .isEqualTo(before.stream().filter(clause).count() + (empty ? others : 0));
        assertThat(shown.get(i).kept()).as("%s clause %d kept", e.getKey(), i)
            .isEqualTo(before.stream().filter(upTo).count() + (emptyKept ? others : 0));
      }
    }

    // 3. the first syncs: exactly the consented, capped audience, in each tool's form
    Map<String, Set<String>> first = truth.destinations(before, start, Set.of());
    long withoutConsent = before.stream().filter(c -> ebook.contains(c.email())
        && !c.marketing()).count();
    long capped = before.stream().filter(c -> ebook.contains(c.email()) && c.marketing()
        && truth.count(c, "Email Sent", start, Duration.ofDays(7))
            >= ProductManagerStory.EMAIL_CAP).count();
    for (Map.Entry<String, Set<String>> e : first.entrySet()) {
      SyncReport r = o.first().get(e.getKey());
      assertThat(r.full()).isTrue();
      assertThat(r.added()).as(e.getKey()).isEqualTo(e.getValue().size());
      assertThat(r.withoutConsent()).as(e.getKey()).isEqualTo(withoutConsent);
      assertThat(r.capped()).as(e.getKey())
          .isEqualTo(e.getKey().equals("ebook-email") ? capped : 0);
    }
    assertThat(first.get("ebook-email").size()).as("the cap keeps some out")
        .isLessThan(first.get("ebook-chat").size());

    // 4. a week later: who entered and left, and the diffs
    Set<String> power2 = later.power(later.data.customers(), weekLater);
    Set<String> ebook2 = later.ebook(later.data.customers(), weekLater);
    assertThat(o.counts().get("power_users")[1]).isEqualTo(power2.size());
    assertThat(o.counts().get("ebook_offer")[1]).isEqualTo(ebook2.size());
    assertThat(o.told().get("ebook_offer")).containsExactly(diff(ebook2, ebook).size(),
        diff(ebook, ebook2).size());
    assertThat(o.told().get("power_users")).containsExactly(diff(power2, power).size(),
        diff(power, power2).size());
    Map<String, Set<String>> second = later.destinations(later.data.customers(), weekLater,
        Set.of());
    for (String audience : second.keySet()) {
      SyncReport r = o.second().get(audience);
      assertThat(r.full()).isFalse();
      assertThat(r.added()).as(audience).isEqualTo(diff(second.get(audience),
          first.get(audience)).size());
      assertThat(r.removed()).as(audience).isEqualTo(diff(first.get(audience),
          second.get(audience)).size());
    }

    // 5. forgotten, and gone from every tool; the files hold exactly the audience
    assertThat(o.deletion().profileId()).isPresent();
    assertThat(o.deletion().audiencesToUpdate()).containsExactlyInAnyOrder("ebook-email",
        "ebook-chat", "ebook-ads");
    Map<String, Set<String>> last = later.destinations(later.data.customers(), weekLater,
        Set.of(o.forgotten()));
    assertThat(files(dir)).isEqualTo(last);
    assertThat(o.afterForget().values()).allMatch(r -> r.removed() == 1 && r.added() == 0);
    assertThat(text).contains("in any destination's file now: no; a new message from them:"
        + " SUPPRESSED");
  }

  @Test
  void aSecondRunOnTheSameDatabaseIsIncremental() throws Exception {
    ProductManagerStory.Options options = new ProductManagerStory.Options(200, 3, dir, null,
        null, null, null, false);
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true,
        StandardCharsets.UTF_8);
    ProductManagerStory.run(options, quiet);
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ProductManagerStory.Outcome again = ProductManagerStory.run(options,
        new PrintStream(printed, true, StandardCharsets.UTF_8));
    assertThat(again.first().values()).noneMatch(SyncReport::full);
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("(0 new)");
  }

  @Test
  void theFlagRunsItOnPostgresql() throws Exception {
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
      ProductManagerStory.Outcome o = ProductManagerStory.run(new ProductManagerStory.Options(
          150, 9, dir, pg.getJdbcUrl("postgres", "postgres"), "postgres", "postgres", null,
          false), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
      assertThat(o.profiles()).isEqualTo(SaasData.generate(150, 9).expectedProfiles());
      assertThat(o.afterForget().values()).allMatch(r -> r.removed() == 1);
    }
  }

  @Test
  void theTelcoFilesLoadAsWell() throws Exception {
    Path telco = Path.of("..", "..", "shared", "data", "telco");
    if (!Files.isDirectory(telco)) {
      telco = Path.of("..", "shared", "data", "telco");
    }
    Assumptions.assumeTrue(Files.isDirectory(telco), "../shared/data/telco is not here");
    ProductManagerStory.Outcome o = ProductManagerStory.run(new ProductManagerStory.Options(
        100, 1, dir, null, null, null, telco, false), new PrintStream(new ByteArrayOutputStream(),
        true, StandardCharsets.UTF_8));
    assertThat(o.telcoProfiles()).isEqualTo(7043);
  }

  private static Set<String> diff(Set<String> a, Set<String> b) {
    Set<String> out = new HashSet<>(a);
    out.removeAll(b);
    return out;
  }
}
