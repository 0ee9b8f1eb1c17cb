package dev.cdpkit.examples;

import dev.cdpkit.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Makes the same customers as three systems know them, each by a different identifier, with a
 * fixed seed so that every run gives the same data:
 *
 * <ul>
 *   <li><b>billing</b> (a Stripe-like tool) knows a customer id and an email, with plan and MRR,
 *       and sends Segment Spec JSON batches;
 *   <li><b>crm</b> knows an email, often spelled differently (upper case, padded), the person's
 *       name and company, and the company as an account; also Segment JSON, with consent;
 *   <li><b>product</b> analytics knows anonymous web ids and, once the person logs in, a user id
 *       and email; it sends {@code Feature Used} events through the Java API.
 * </ul>
 *
 * <p>Every tenth customer has no billing record, every seventh has no CRM record, every fifth never
 * used the product; and a tenth as many anonymous visitors as customers only ever browsed. Each
 * customer is in at least one system, and every system knows the email of the customers it has, so
 * the right answer is one profile per customer plus one per anonymous visitor.
 *
 * <p>Not thread-safe.
 */
public final class CustomerDataGenerator {
  /** The instant the generated history ends. */
  public static final Instant END = Instant.parse("2026-11-30T00:00:00Z");

  private static final String[] FIRST = {"ada", "alan", "grace", "linus", "margaret", "ken",
      "barbara", "dennis", "frances", "john", "radia", "tim", "sophie", "guido", "anita"};
  private static final String[] LAST = {"lovelace", "turing", "hopper", "torvalds", "hamilton",
      "thompson", "liskov", "ritchie", "allen", "backus", "perlman", "lee", "wilson", "rossum"};
  private static final String[] COMPANIES = {"acme", "globex", "initech", "umbrella", "hooli",
      "stark", "wayne", "tyrell", "cyberdyne", "soylent", "aperture", "wonka"};
  private static final String[] INDUSTRIES = {"retail", "telco", "fintech", "health", "media"};
  private static final String[] PLANS = {"free", "starter", "pro", "enterprise"};
  private static final long[] PLAN_MRR = {0, 49, 299, 2400};
  private static final String[] FEATURES = {"A", "B", "C"};

  /**
   * The generated data and what the right answer is.
   *
   * @param billingJson billing's Segment JSON batches
   * @param crmJson the CRM's Segment JSON batches
   * @param productEvents product analytics events
   * @param records how many source records (messages) there are in all
   * @param customers how many customers there are
   * @param visitors how many anonymous-only visitors there are
   * @param showcase the email of a customer that all three systems know
   */
  public record Data(List<String> billingJson, List<String> crmJson, List<Event> productEvents,
      int records, int customers, int visitors, String showcase) {
    /** The number of profiles a correct identity resolution makes. */
    public int expectedProfiles() {
      return customers + visitors;
    }
  }

  private CustomerDataGenerator() {}

  /** Generates {@code customers} customers (and a tenth as many visitors) from {@code seed}. */
  public static Data generate(int customers, long seed) {
    Random r = new Random(seed);
    List<String> billing = new ArrayList<>();
    List<String> crm = new ArrayList<>();
    List<Event> product = new ArrayList<>();
    StringBuilder billingBatch = new StringBuilder();
    StringBuilder crmBatch = new StringBuilder();
    int billingInBatch = 0;
    int crmInBatch = 0;
    int records = 0;
    String showcase = null;
    for (int i = 0; i < customers; i++) {
      String first = FIRST[r.nextInt(FIRST.length)];
      String last = LAST[r.nextInt(LAST.length)];
      String company = COMPANIES[r.nextInt(COMPANIES.length)];
      String email = first + "." + last + i + "@" + company + ".example";
      Instant signup = END.minus(Duration.ofMinutes(60L * 24 * 30 + r.nextInt(60 * 24 * 700)));
      boolean inBilling = i % 10 != 0;
      boolean inCrm = i % 7 != 3;
      boolean inProduct = i % 5 != 4;
      if (showcase == null && inBilling && inCrm && inProduct) {
        showcase = email;
      }
      if (inBilling) {
        int plan = 1 + r.nextInt(PLANS.length - 1);
        Instant at = signup.plus(Duration.ofDays(r.nextInt(20)));
        String msg = "{\"type\":\"identify\",\"messageId\":\"billing-" + i + "\",\"timestamp\":\""
            + at + "\",\"context\":{\"externalIds\":[{\"id\":\"cus_" + Long.toHexString(
                0x10000000L + i * 7919L) + "\",\"type\":\"stripe_customer_id\"}]},"
            + "\"traits\":{\"email\":\"" + email + "\",\"plan\":\"" + PLANS[plan]
            + "\",\"mrr\":" + PLAN_MRR[plan] + ",\"ltv\":" + PLAN_MRR[plan] * (1 + r.nextInt(36))
            + "}}";
        billingInBatch = append(billing, billingBatch, billingInBatch, msg, "billing");
        records++;
      }
      if (inCrm) {
        Instant at = signup.minus(Duration.ofDays(r.nextInt(30)));
        String crmEmail = messy(email, r);
        String consent = r.nextInt(4) == 0 ? "false" : "true";
        String identify = "{\"type\":\"identify\",\"messageId\":\"crm-" + i + "\",\"timestamp\":\""
            + at + "\",\"traits\":{\"email\":\"" + crmEmail + "\",\"name\":\"" + capital(first)
            + " " + capital(last) + "\",\"company\":\"" + capital(company) + "\"},"
            + "\"context\":{\"consent\":{\"categoryPreferences\":{\"marketing\":" + consent
            + "}}}}";
        String group = "{\"type\":\"group\",\"messageId\":\"crm-group-" + i + "\",\"timestamp\":\""
            + at + "\",\"groupId\":\"acct-" + company + "\",\"context\":{\"traits\":{\"email\":\""
            + crmEmail + "\"}},\"traits\":{\"name\":\"" + capital(company) + "\",\"industry\":\""
            + INDUSTRIES[Math.floorMod(company.hashCode(), INDUSTRIES.length)] + "\",\"arr\":"
            + (50_000 + Math.floorMod(company.hashCode(), 20) * 25_000) + "}}";
        crmInBatch = append(crm, crmBatch, crmInBatch, identify, "crm");
        crmInBatch = append(crm, crmBatch, crmInBatch, group, "crm");
        records += 2;
      }
      if (inProduct) {
        String anon = "anon-" + i + "-" + Integer.toHexString(r.nextInt());
        Instant visit = signup.minus(Duration.ofHours(1 + r.nextInt(48)));
        product.add(Event.page("Pricing").anonymousId(anon).timestamp(visit)
            .messageId("web-" + i).source("product").build());
        product.add(Event.identify().userId("u" + i).anonymousId(anon).trait("email", email)
            .timestamp(signup).messageId("login-" + i).source("product").build());
        int uses = r.nextInt(25);
        for (int k = 0; k < uses; k++) {
          Instant at = signup.plus(Duration.ofMinutes(r.nextInt(
              (int) Duration.between(signup, END).toMinutes())));
          product.add(Event.track("Feature Used").userId("u" + i)
              .property("feature", FEATURES[r.nextInt(FEATURES.length)])
              .timestamp(at).messageId("use-" + i + "-" + k).source("product").build());
        }
        records += 2 + uses;
      }
    }
    int visitors = customers / 10;
    for (int v = 0; v < visitors; v++) {
      String anon = "visitor-" + v;
      product.add(Event.page("Home").anonymousId(anon)
          .timestamp(END.minus(Duration.ofMinutes(r.nextInt(60 * 24 * 90))))
          .messageId("visit-" + v).source("product").build());
      records++;
    }
    flush(billing, billingBatch, "billing");
    flush(crm, crmBatch, "crm");
    return new Data(billing, crm, product, records, customers, visitors, showcase);
  }

  /** The same email as a CRM user types it: upper case, spaces around, or as it is. */
  private static String messy(String email, Random r) {
    switch (r.nextInt(3)) {
      case 0:
        return email.toUpperCase(Locale.ROOT);
      case 1:
        return "  " + email + " ";
      default:
        return email;
    }
  }

  private static String capital(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static int append(List<String> out, StringBuilder batch, int count, String msg,
      String source) {
    if (count == 100) {
      flush(out, batch, source);
      count = 0;
    }
    batch.append(count == 0 ? "{\"batch\":[" : ",").append(msg);
    return count + 1;
  }

  /** Closes a batch; its envelope context names the sending system, which cdpkit keeps as source. */
  private static void flush(List<String> out, StringBuilder batch, String source) {
    if (batch.length() > 0) {
      out.add(batch.append("],\"context\":{\"library\":{\"name\":\"").append(source)
          .append("\"}}}").toString());
      batch.setLength(0);
    }
  }
}
