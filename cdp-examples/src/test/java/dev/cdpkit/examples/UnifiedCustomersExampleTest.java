package dev.cdpkit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cdpkit.Identifier;
import dev.cdpkit.Profile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/** The README's first command prints the right figures. */
class UnifiedCustomersExampleTest {

  @Test
  void everyCustomerBecomesOneProfile() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    UnifiedCustomersExample.Summary s = UnifiedCustomersExample.run(2000, 42,
        new PrintStream(buf, true, StandardCharsets.UTF_8));
    CustomerDataGenerator.Data truth = CustomerDataGenerator.generate(2000, 42);
    assertThat(s.rejected()).isZero();
    assertThat(s.records()).isEqualTo(truth.records());
    assertThat(s.profiles()).isEqualTo(truth.expectedProfiles()).isEqualTo(2200);
    Profile p = s.showcase();
    assertThat(p.identifiers()).extracting(Identifier::type).containsExactlyInAnyOrder(
        "anonymous_id", "email", "stripe_customer_id", "user_id");
    assertThat(p.identifiers(Identifier.EMAIL)).containsExactly(truth.showcase());
    assertThat(p.traits()).containsKeys("plan", "mrr", "ltv", "name", "company", "email");
    assertThat(p.provenance("plan").orElseThrow().source()).isEqualTo("billing");
    assertThat(p.provenance("name").orElseThrow().source()).isEqualTo("crm");
    assertThat(p.accountIds()).hasSize(1);
    String out = buf.toString(StandardCharsets.UTF_8);
    assertThat(out).contains(String.format("%,d source records became %,d unified profiles",
        truth.records(), 2200));
    assertThat(out).contains("One unified profile, in full:").contains(truth.showcase());
  }

  @Test
  void anotherSeedAndSizeAlsoResolveExactly() {
    UnifiedCustomersExample.Summary s = UnifiedCustomersExample.run(350, 7,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertThat(s.profiles()).isEqualTo(CustomerDataGenerator.generate(350, 7).expectedProfiles());
  }

  @Test
  void theRealTelcoFilesBecomeOneProfilePerCustomer() throws IOException {
    Path dir = Paths.get(System.getProperty("cdpkit.shared.data", "../../shared/data"), "telco");
    assumeTrue(Files.isDirectory(dir), "../shared/data/telco is absent");
    UnifiedCustomersExample.Summary s = UnifiedCustomersExample.runTelco(dir,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertThat(s.records()).isEqualTo(3 * 7043);
    assertThat(s.profiles()).isEqualTo(7043);
    assertThat(s.showcase().trait("contract")).hasValue("Month-to-month");
    assertThat(s.showcase().trait("monthly_charges")).hasValue(29.85);
    assertThat(s.showcase().trait("tenure")).hasValue(1L);
    assertThat(s.showcase().trait("internet_service")).hasValue("DSL");
  }
}
