package dev.cdpkit.examples;

import dev.cdpkit.Audience;
import dev.cdpkit.Cdp;
import dev.cdpkit.Event;
import dev.cdpkit.Identifier;
import dev.cdpkit.Profile;
import dev.cdpkit.Segment;
import dev.cdpkit.destination.InMemoryDestination;

/**
 * The README's quick start, as it runs: three tools' messages become one profile, a segment
 * finds it, an audience sends it to an email tool, and forgetting removes it everywhere.
 * {@code ReadmeTest} checks that the README shows exactly this code, and runs it. Stateless.
 */
public final class QuickStart {
  private QuickStart() {}

  /** Runs the quick start, printing what its comments say. */
  public static void main(String[] args) {
    try (Cdp cdp = Cdp.builder().build()) {  // in memory; .store(JdbcProfileStore.create(ds)) for a database
      // billing knows a customer id and an email, and sends Segment Spec JSON
      cdp.ingestJson("""
          {"type": "identify", "userId": "u-17", "traits": {"email": "Jane@Example.com",
           "ltv": 4200, "plan": "pro"}, "context": {"externalIds": [{"id": "cus_42",
           "type": "stripe_customer_id"}]}}""");
      // the product knows the user id: usage, through the Java API
      for (int i = 0; i < 6; i++) {
        cdp.ingest(Event.track("Feature Used").userId("u-17").property("feature", "A").build());
      }
      // the marketing tool knows only the email, spelled its own way: consent
      cdp.ingest(Event.identify().email(" JANE@example.com").consent("marketing", true).build());

      Profile jane = cdp.profile(Identifier.of("stripe_customer_id", "cus_42")).orElseThrow();
      System.out.println(jane.identifiers());       // user_id, email, stripe_customer_id: one person
      Segment power = cdp.defineSegment("power_users",
          "ltv > 1000 and count(\"Feature Used\" where feature = \"A\" within 90d) > 5");
      System.out.println(power.count());            // 1
      InMemoryDestination emailTool = new InMemoryDestination("marketing", "email");
      cdp.addAudience(Audience.builder("power-email", "power_users", emailTool)
          .identifiers("email").build());
      System.out.println(cdp.sync("power-email"));  // added 1: jane@example.com
      cdp.forget(Identifier.of("email", "jane@example.com"));  // gone, in memory and store
      System.out.println(cdp.sync("power-email"));  // removed 1: the email tool forgets her too
    }
  }
}
