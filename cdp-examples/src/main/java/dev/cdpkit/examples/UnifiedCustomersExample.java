package dev.cdpkit.examples;

import dev.cdpkit.Account;
import dev.cdpkit.Cdp;
import dev.cdpkit.Event;
import dev.cdpkit.Identifier;
import dev.cdpkit.IngestResult;
import dev.cdpkit.Profile;
import dev.cdpkit.TraitValue;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The example the README runs first: customer data for the same people from three systems, each
 * knowing them by a different identifier, becomes one unified profile per person.
 *
 * <pre>
 * mvn -q -pl cdp-examples -am package -DskipTests exec:java
 * mvn -q -pl cdp-examples -am package -DskipTests exec:java -Dexec.args="--customers 20000"
 * mvn -q -pl cdp-examples -am package -DskipTests exec:java -Dexec.args="--data ../shared/data/telco"
 * </pre>
 */
public final class UnifiedCustomersExample {

  /**
   * What a run found.
   *
   * @param records the source records ingested
   * @param profiles the unified profiles they became
   * @param rejected records rejected as invalid
   * @param showcase the profile printed in full
   */
  public record Summary(int records, long profiles, int rejected, Profile showcase) {}

  private UnifiedCustomersExample() {}

  /** Runs the example; see the class comment for the options. */
  public static void main(String[] args) throws IOException {
    int customers = 2000;
    long seed = 42;
    Path telco = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--customers":
          customers = Integer.parseInt(value(args, ++i));
          break;
        case "--seed":
          seed = Long.parseLong(value(args, ++i));
          break;
        case "--data":
          telco = Paths.get(value(args, ++i));
          break;
        default:
          throw new IllegalArgumentException("unknown option " + args[i]
              + "; expected --customers N, --seed S or --data DIR (the Telco CSV folder)");
      }
    }
    if (telco != null) {
      runTelco(telco, System.out);
    } else {
      run(customers, seed, System.out);
    }
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException(args[i - 1] + " needs a value");
    }
    return args[i];
  }

  /** Generates {@code customers} customers from {@code seed}, ingests them, prints the result. */
  public static Summary run(int customers, long seed, PrintStream out) {
    CustomerDataGenerator.Data data = CustomerDataGenerator.generate(customers, seed);
    out.printf("cdpkit: %,d customers as three systems know them (seed %d)%n", customers, seed);
    try (Cdp cdp = Cdp.builder().build()) {
      long start = System.nanoTime();
      int rejected = 0;
      int billing = 0;
      for (String batch : data.billingJson()) {
        IngestResult r = cdp.ingestJson(batch);
        billing += r.messages().size();
        rejected += r.rejected();
      }
      int crm = 0;
      for (String batch : data.crmJson()) {
        IngestResult r = cdp.ingestJson(batch);
        crm += r.messages().size();
        rejected += r.rejected();
      }
      for (Event e : data.productEvents()) {
        cdp.ingest(e);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      out.printf("  billing  (Segment JSON; customer id + email)        %,8d records%n", billing);
      out.printf("  crm      (Segment JSON; email, typed many ways)     %,8d records%n", crm);
      out.printf("  product  (Java API; anonymous id, user id + email)  %,8d records%n",
          data.productEvents().size());
      out.printf("%,d source records became %,d unified profiles in %.2f s (%,.0f records/s)%n",
          data.records(), cdp.profileCount(), seconds, data.records() / seconds);
      out.printf("(%,d customers + %,d anonymous visitors who never signed up)%n%n",
          data.customers(), data.visitors());
      Profile showcase = cdp.profile(Identifier.of("email", data.showcase())).orElseThrow();
      print(cdp, showcase, out);
      return new Summary(data.records(), cdp.profileCount(), rejected, showcase);
    }
  }

  /**
   * Ingests the real Telco file set (billing, customer service and products for the same 7,043
   * customers) and prints the result.
   */
  public static Summary runTelco(Path dir, PrintStream out) throws IOException {
    out.printf("cdpkit: the Telco customer base from three systems (%s)%n", dir);
    try (Cdp cdp = Cdp.builder().build()) {
      Instant at = Instant.parse("2026-11-30T00:00:00Z");
      int records = 0;
      String firstId = null;
      for (String system : List.of("billing", "customer-service", "products")) {
        List<String> lines = Files.readAllLines(dir.resolve(system + ".csv"));
        String[] header = lines.get(0).split(",", -1);
        for (String line : lines.subList(1, lines.size())) {
          String[] cells = line.split(",", -1);
          Event.Builder b = Event.identify().identifier("telco_customer_id", cells[0])
              .timestamp(at).messageId(system + "-" + cells[0]).source(system);
          for (int c = 1; c < header.length; c++) {
            Object v = cell(cells[c]);
            if (v != null) {
              b.trait(snake(header[c]), v);
            }
          }
          cdp.ingest(b.build());
          records++;
          if (firstId == null) {
            firstId = cells[0];
          }
        }
        out.printf("  %-17s %,6d records%n", system, lines.size() - 1);
      }
      out.printf("%,d source records became %,d unified profiles%n%n", records,
          cdp.profileCount());
      Profile p = cdp.profile(Identifier.of("telco_customer_id", firstId)).orElseThrow();
      print(cdp, p, out);
      return new Summary(records, cdp.profileCount(), 0, p);
    }
  }

  private static Object cell(String s) {
    String t = s.trim();
    if (t.isEmpty()) {
      return null;
    }
    if (t.equals("Yes") || t.equals("No")) {
      return t.equals("Yes");
    }
    try {
      return t.contains(".") ? (Object) Double.parseDouble(t) : (Object) Long.parseLong(t);
    } catch (NumberFormatException notANumber) {
      return t;
    }
  }

  private static String snake(String header) {
    return header.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }

  private static void print(Cdp cdp, Profile p, PrintStream out) {
    out.println("One unified profile, in full:");
    out.printf("  id           %s%n", p.id());
    out.printf("  seen         %s .. %s%n", p.firstSeen(), p.lastSeen());
    Map<String, List<String>> byType = new LinkedHashMap<>();
    p.identifiers().forEach(i -> byType.computeIfAbsent(i.type(), k -> new ArrayList<>())
        .add(i.value()));
    out.println("  identifiers");
    byType.forEach((type, values) -> out.printf("    %-20s %s%n", type, String.join(", ", values)));
    out.println("  traits (value, and the source and message that set it)");
    p.traits().forEach((name, value) -> {
      TraitValue t = p.provenance(name).orElseThrow();
      out.printf("    %-20s %-32s %s, %s%n", name, value, t.source(), t.messageId());
    });
    if (!p.accountIds().isEmpty()) {
      out.println("  accounts");
      for (String id : p.accountIds()) {
        Account a = cdp.account(id).orElseThrow();
        out.printf("    %-20s %s%n", id, a.traits());
      }
    }
    if (!p.consents().isEmpty()) {
      out.printf("  consents     %s%n", p.consents());
    }
  }
}
