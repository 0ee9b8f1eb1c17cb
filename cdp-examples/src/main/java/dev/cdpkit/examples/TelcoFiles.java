package dev.cdpkit.examples;

import dev.cdpkit.Cdp;
import dev.cdpkit.Event;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The real Telco file set ({@code ../shared/data/telco}: billing, customer service and products
 * for the same 7,043 customers, joined on {@code customerID}) as three more sources. Stateless.
 */
final class TelcoFiles {
  private TelcoFiles() {}

  /** Ingests the three files as customers; returns how many profiles they became. */
  static long load(Cdp cdp, Path dir, PrintStream out) throws IOException {
    out.printf("Also: the Telco customer base from three systems (%s)%n", dir);
    long before = cdp.profileCount();
    Instant at = Instant.parse("2026-11-30T00:00:00Z");
    int records = 0;
    for (String system : List.of("billing", "customer-service", "products")) {
      List<Event> batch = new ArrayList<>();
      List<String> lines = Files.readAllLines(dir.resolve(system + ".csv"));
      String[] header = lines.get(0).split(",", -1);
      for (String line : lines.subList(1, lines.size())) {
        String[] cells = line.split(",", -1);
        Event.Builder b = Event.identify().identifier("telco_customer_id", cells[0])
            .timestamp(at).messageId("telco-" + system + "-" + cells[0]).source(system);
        for (int c = 1; c < header.length; c++) {
          Object v = cell(cells[c]);
          if (v != null) {
            b.trait(snake(header[c]), v);
          }
        }
        batch.add(b.build());
        records++;
        if (batch.size() == 500) {
          cdp.ingest(batch);
          batch.clear();
        }
      }
      cdp.ingest(batch);
      out.printf("   %-17s %,6d records%n", system, lines.size() - 1);
    }
    long profiles = cdp.profileCount() - before;
    out.printf("   %,d records became %,d profiles, one per customer%n", records, profiles);
    return profiles;
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
}
