package dev.cdpkit.examples;

import dev.cdpkit.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * A B2B SaaS company's customers as its five tools know them, made from a seed so that every run
 * gives the same data, with the mess real data has:
 *
 * <ul>
 *   <li><b>billing</b> knows a customer id, an email and sometimes a phone; plan, MRR, ARR, LTV
 *       (Segment Spec JSON);
 *   <li><b>product</b> analytics knows anonymous web ids and, after login, a user id and the
 *       email; {@code Feature Used} events with a {@code feature} (Java API); some customers of
 *       one office share a device id, some events arrive late;
 *   <li>the <b>support</b> desk knows an email or a phone: {@code Ticket Created};
 *   <li>the <b>CRM</b> knows an email and the company: accounts with industry and ARR (Segment
 *       Spec JSON group calls);
 *   <li>the <b>marketing</b> tool knows an email: marketing consent and {@code Email Sent}.
 * </ul>
 *
 * <p>Emails come upper-cased and padded from some tools; a QA team logs in as
 * {@code test@test.com}; anonymous visitors browse and never sign up. The right answer is one
 * profile per customer, per QA login and per visitor: every customer is known to billing and the
 * product by the same email, the shared device and the QA email must link nothing.
 *
 * <p>The data also carries the truth ({@link Customer}, {@link Happening}) for checking what
 * cdpkit computes from the messages. Not thread-safe.
 */
public final class SaasData {
  /** The instant the generated history ends: the story's "now". */
  public static final Instant NOW = Instant.parse("2026-11-30T00:00:00Z");
  /** The device id that one office's customers share. */
  public static final String SHARED_DEVICE = "office-ipad-7";
  /** The email the QA team logs in with. */
  public static final String QA_EMAIL = "test@test.com";
  /** How many QA logins there are. */
  public static final int QA_LOGINS = 3;

  private static final String[] FIRST = {"ada", "alan", "grace", "linus", "margaret", "ken",
      "barbara", "dennis", "frances", "john", "radia", "tim", "sophie", "guido", "anita"};
  private static final String[] COMPANIES = {"acme", "globex", "initech", "umbrella", "hooli",
      "stark", "wayne", "tyrell", "cyberdyne", "soylent", "aperture", "wonka"};
  private static final String[] INDUSTRIES = {"retail", "telco", "fintech", "health", "media"};
  private static final String[] PLANS = {"starter", "pro", "enterprise"};
  private static final long[] PLAN_MRR = {49, 299, 2400};
  private static final String[] FEATURES = {"A", "B", "C"};

  /** A company in the CRM. */
  public record Account(String id, String name, String industry, long arr) {}

  /**
   * A customer as the truth has it.
   *
   * @param email the email, as the truth spells it (lower case)
   * @param phone the phone, or null
   * @param marketing whether marketing consent is granted (at the end of the history)
   */
  public record Customer(int index, String customerId, String userId, String email,
      String phone, String accountId, String plan, long mrr, long ltv, boolean marketing) {}

  /** Something a customer did: {@code Feature Used A}, {@code Ticket Created}, {@code Email Sent}. */
  public record Happening(int customer, String what, Instant at) {}

  /**
   * A source's messages, Segment Spec JSON ({@code String}) or {@link Event}s, made as they are
   * read: a million customers' twenty million messages are never all in memory.
   */
  public record Source(String name, String knows, Iterable<Object> messages) {}

  private final long seed;
  private final Random random;
  private final List<Account> accounts = new ArrayList<>();
  private final List<Customer> customers = new ArrayList<>();
  /** Each customer's marketing consent as the history starts. */
  private final List<Boolean> initialConsent = new ArrayList<>();
  /** What the days after the history added ({@link #nextDay}). */
  private final List<Happening> later = new ArrayList<>();
  private final List<Source> sources = new ArrayList<>();
  private final Set<Integer> sharing = new HashSet<>();
  private final int visitors;

  private SaasData(int customerCount, long seed) {
    this.seed = seed;
    this.random = new Random(seed);
    int accountCount = Math.max(2, customerCount / 8);
    for (int a = 0; a < accountCount; a++) {
      String company = COMPANIES[a % COMPANIES.length] + (a / COMPANIES.length);
      long arr = random.nextInt(4) == 0 ? 150_000 + random.nextInt(600_000)
          : 5_000 + random.nextInt(90_000);
      accounts.add(new Account("acct-" + a, company, INDUSTRIES[random.nextInt(5)], arr));
    }
    for (int i = 0; i < customerCount; i++) {
      Account a = accounts.get(random.nextInt(accountCount));
      String first = FIRST[random.nextInt(FIRST.length)];
      int plan = random.nextInt(3);
      long ltv = PLAN_MRR[plan] * (1 + random.nextInt(36));
      Customer c = new Customer(i, "cus_" + (100_000 + i), "usr-" + i,
          first + "." + i + "@" + a.name() + ".example",
          random.nextInt(3) == 0 ? "+47 4" + String.format("%07d", i) : null, a.id(),
          PLANS[plan], PLAN_MRR[plan], ltv, random.nextInt(4) > 0);
      customers.add(c);
      initialConsent.add(c.marketing());
      if (a == accounts.get(0) && sharing.size() < 6) {
        sharing.add(i);
      }
    }
    this.visitors = customerCount / 10;
    generate();
  }

  /** Generates {@code customers} customers and their history from {@code seed}. */
  public static SaasData generate(int customers, long seed) {
    return new SaasData(customers, seed);
  }

  /** The companies. */
  public List<Account> accounts() {
    return Collections.unmodifiableList(accounts);
  }

  /** The customers. */
  public List<Customer> customers() {
    return Collections.unmodifiableList(customers);
  }

  /** What the customers did, so far (made again from the seed: slow for millions). */
  public List<Happening> happenings() {
    List<Happening> out = new ArrayList<>();
    for (Customer c : customers) {
      out.addAll(history(c).happenings());
    }
    out.addAll(later);
    return out;
  }

  /** The five tools' messages, in the order they are sent. */
  public List<Source> sources() {
    return Collections.unmodifiableList(sources);
  }

  /** How many messages the sources hold (made again from the seed to count them). */
  public int records() {
    int n = 0;
    for (Source s : sources) {
      for (Object m : s.messages()) {
        n += m instanceof String json && json.startsWith("{\"batch\"")
            ? json.split("\"stripe_customer_id\"", -1).length - 1 : 1;
      }
    }
    return n;
  }

  /** How many profiles a correct identity resolution makes. */
  public int expectedProfiles() {
    return customers.size() + QA_LOGINS + visitors;
  }

  /** The customers who share {@link #SHARED_DEVICE}. */
  public List<Customer> sharingTheDevice() {
    return sharing.stream().sorted().map(customers::get).toList();
  }

  /** The email as a messy tool spells it: upper-cased, padded, or as it is. */
  private static String messy(Random r, String email) {
    switch (r.nextInt(5)) {
      case 0:
        return email.toUpperCase(Locale.ROOT);
      case 1:
        return "  " + email + " ";
      case 2:
        return Character.toUpperCase(email.charAt(0)) + email.substring(1);
      default:
        return email;
    }
  }

  private static Instant daysAgo(double days) {
    return NOW.minus(Duration.ofMinutes((long) (days * 24 * 60)));
  }

  /** One customer's messages in each tool, and what they did: the same every time it is made. */
  private record History(String billing, List<Event> product, List<Event> late,
      List<Event> support, String crm, List<Event> marketing, List<Happening> happenings) {}

  /**
   * A customer's history, made from a random stream of its own, so that a source can be read
   * customer by customer without the whole data set in memory (a million customers make 20
   * million messages).
   */
  private History history(Customer c) {
    Random r = new Random(seed * 1_000_003L + c.index());
    int[] k = {0};
    java.util.function.Function<String, String> id = source -> source + "-" + c.index() + "-"
        + (k[0]++);
    List<Event> product = new ArrayList<>();
    List<Event> late = new ArrayList<>();
    List<Event> support = new ArrayList<>();
    List<Event> marketing = new ArrayList<>();
    List<Happening> happenings = new ArrayList<>();
    Instant signup = daysAgo(150 + r.nextInt(200));
    String billing = String.format(Locale.ROOT, "{\"type\":\"identify\",\"messageId\":\"%s\","
        + "\"timestamp\":\"%s\",\"context\":{\"externalIds\":[{\"id\":\"%s\","
        + "\"type\":\"stripe_customer_id\"}]},\"traits\":{\"email\":\"%s\",%s"
        + "\"plan\":\"%s\",\"mrr\":%d,\"arr\":%d,\"ltv\":%d}}", id.apply("billing"), signup,
        c.customerId(), messy(r, c.email()),
        c.phone() == null ? "" : "\"phone\":\"" + c.phone() + "\",", c.plan(), c.mrr(),
        c.mrr() * 12, c.ltv());
    String web = "web-" + Long.toHexString(r.nextLong() & 0xffffffffL) + "-" + c.index();
    product.add(Event.page("Pricing").anonymousId(web).messageId(id.apply("product"))
        .timestamp(signup.minus(Duration.ofMinutes(5))).source("product").build());
    product.add(Event.identify().userId(c.userId()).anonymousId(web).trait("email", c.email())
        .messageId(id.apply("product")).timestamp(signup.plusSeconds(60)).source("product")
        .build());
    if (sharing.contains(c.index())) {
      product.add(Event.page("Dashboard").userId(c.userId()).deviceId(SHARED_DEVICE)
          .messageId(id.apply("product")).timestamp(daysAgo(r.nextInt(30))).source("product")
          .build());
    }
    double[] weight = {r.nextDouble(), r.nextDouble(), r.nextDouble()};
    int uses = r.nextInt(30);
    for (int u = 0; u < uses; u++) {
      int f = r.nextDouble() < weight[0] / (weight[0] + weight[1] + weight[2]) ? 0
          : r.nextDouble() < weight[1] / (weight[1] + weight[2]) ? 1 : 2;
      Instant at = daysAgo(r.nextDouble() * 120);
      happenings.add(new Happening(c.index(), "Feature Used " + FEATURES[f], at));
      Event e = Event.track("Feature Used").userId(c.userId()).property("feature", FEATURES[f])
          .messageId(id.apply("product")).timestamp(at).source("product").build();
      (r.nextInt(20) == 0 ? late : product).add(e);
    }
    for (int t = 0, n = r.nextInt(4); t < n; t++) {
      Instant at = daysAgo(r.nextDouble() * 150);
      happenings.add(new Happening(c.index(), "Ticket Created", at));
      Event.Builder b = Event.track("Ticket Created").property("priority",
          r.nextBoolean() ? "high" : "normal").messageId(id.apply("support")).timestamp(at)
          .source("support");
      if (c.phone() != null && r.nextBoolean()) {
        b.phone(c.phone().replace(" ", "-"));
      } else {
        b.email(messy(r, c.email()));
      }
      support.add(b.build());
    }
    Account a = accounts.get(Integer.parseInt(c.accountId().substring(5)));
    String crm = String.format(Locale.ROOT, "{\"type\":\"group\",\"messageId\":\"%s\","
        + "\"timestamp\":\"%s\",\"groupId\":\"%s\",\"context\":{\"traits\":"
        + "{\"email\":\"%s\"}},\"traits\":{\"name\":\"%s\",\"industry\":\"%s\","
        + "\"arr\":%d}}", id.apply("crm"), signup.plusSeconds(3600), a.id(),
        messy(r, c.email()), a.name(), a.industry(), a.arr());
    marketing.add(Event.identify().email(messy(r, c.email())).consent("marketing",
        initialConsent.get(c.index())).messageId(id.apply("marketing"))
        .timestamp(signup.plusSeconds(7200)).source("marketing").build());
    for (int m = 0, n = r.nextInt(4); m < n; m++) {
      Instant at = daysAgo(r.nextDouble() * 10);
      happenings.add(new Happening(c.index(), "Email Sent", at));
      marketing.add(Event.track("Email Sent").email(c.email()).property("campaign",
          "newsletter").messageId(id.apply("marketing")).timestamp(at).source("marketing")
          .build());
    }
    return new History(billing, product, late, support, crm, marketing, happenings);
  }

  /** The messages that {@code part} gives for each customer, customer by customer. */
  private Iterable<Object> each(java.util.function.Function<History, List<?>> part) {
    return () -> customers.stream().flatMap(c -> part.apply(history(c)).stream())
        .map(o -> (Object) o).iterator();
  }

  private void generate() {
    Iterable<Object> billing = () -> java.util.stream.IntStream
        .range(0, (customers.size() + 99) / 100).mapToObj(b -> (Object) ("{\"batch\":["
            + String.join(",", customers.subList(b * 100, Math.min(customers.size(),
                b * 100 + 100)).stream().map(c -> history(c).billing()).toList()) + "]}"))
        .iterator();
    Iterable<Object> product = () -> java.util.stream.Stream.of(
        customers.stream().flatMap(c -> history(c).product().stream()),
        java.util.stream.IntStream.rangeClosed(1, QA_LOGINS).mapToObj(q -> Event.identify()
            .userId("qa-" + q).trait("email", QA_EMAIL).messageId("product-qa-" + q)
            .timestamp(daysAgo(q)).source("product").build()),
        java.util.stream.IntStream.range(0, visitors).mapToObj(v -> Event.page("Blog")
            .anonymousId("visitor-" + v).messageId("product-visitor-" + v)
            .timestamp(daysAgo(new Random(seed * 7 + v).nextDouble() * 60)).source("product")
            .build()),
        // late-arriving events, older than much of what came before
        customers.stream().flatMap(c -> history(c).late().stream()))
        .flatMap(x -> x).map(o -> (Object) o).iterator();
    sources.add(new Source("billing", "customer id, email, phone; plan, MRR, ARR, LTV", billing));
    sources.add(new Source("product", "user id, anonymous ids; Feature Used", product));
    sources.add(new Source("support", "email or phone; Ticket Created", each(History::support)));
    sources.add(new Source("crm", "email; accounts with industry and ARR",
        each(h -> List.of(h.crm()))));
    sources.add(new Source("marketing", "email; consent, Email Sent",
        each(History::marketing)));
  }

  /**
   * The messages of the day after {@code start}: feature use, tickets, emails sent, and a few
   * customers withdrawing marketing consent (the truth is updated with them).
   */
  public List<Event> nextDay(Instant start) {
    List<Event> out = new ArrayList<>();
    for (Customer c : customers) {
      if (random.nextInt(4) != 0) {
        continue;
      }
      for (int k = 0, n = 1 + random.nextInt(6); k < n; k++) {
        String f = FEATURES[random.nextInt(3)];
        Instant at = start.plus(Duration.ofMinutes(random.nextInt(24 * 60)));
        later.add(new Happening(c.index(), "Feature Used " + f, at));
        out.add(Event.track("Feature Used").userId(c.userId()).property("feature", f)
            .messageId("day-" + start + "-" + c.index() + "-" + k).timestamp(at)
            .source("product").build());
      }
      if (random.nextInt(5) == 0) {
        Instant at = start.plus(Duration.ofMinutes(random.nextInt(24 * 60)));
        later.add(new Happening(c.index(), "Ticket Created", at));
        out.add(Event.track("Ticket Created").email(c.email()).messageId("day-" + start
            + "-" + c.index() + "-t").timestamp(at).source("support").build());
      }
      if (random.nextInt(8) == 0) {
        Instant at = start.plus(Duration.ofMinutes(random.nextInt(24 * 60)));
        later.add(new Happening(c.index(), "Email Sent", at));
        out.add(Event.track("Email Sent").email(c.email()).messageId("day-" + start + "-"
            + c.index() + "-e").timestamp(at).source("marketing").build());
      }
      if (c.marketing() && random.nextInt(40) == 0) {
        Customer changed = new Customer(c.index(), c.customerId(), c.userId(), c.email(),
            c.phone(), c.accountId(), c.plan(), c.mrr(), c.ltv(), false);
        customers.set(c.index(), changed);
        out.add(Event.identify().email(c.email()).consent("marketing", false)
            .messageId("day-" + start + "-" + c.index() + "-c")
            .timestamp(start.plus(Duration.ofHours(12))).source("marketing").build());
      }
    }
    return out;
  }
}
