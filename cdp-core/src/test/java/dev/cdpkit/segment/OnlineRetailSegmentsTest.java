package dev.cdpkit.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdpkit.Cdp;
import dev.cdpkit.Event;
import dev.cdpkit.Profile;
import dev.cdpkit.ProfileId;
import dev.cdpkit.testing.SharedData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The real Online Retail log (skipped when {@code ../shared/data} is absent): its customers as
 * profiles, its invoices as events; business segments over them agree with the oracle.
 */
class OnlineRetailSegmentsTest {
  private static final Instant NOW = Instant.parse("2011-12-10T00:00:00Z");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final List<String> SEGMENTS = List.of(
      "ltv > 1000 and count(\"Order Completed\" within 90d) >= 3",
      "country = \"United Kingdom\" and count(\"Order Completed\" within 30d) = 0",
      "sum(\"Order Completed\", total within 90d) > 500",
      "avg(\"Order Completed\", total) >= 300",
      "max(\"Order Completed\", lines) > 50 or count(\"Order Cancelled\") >= 2",
      "country in (\"France\", \"Germany\") and min(\"Order Completed\", total where lines >= 10) < 200",
      "first_order within 90d and not in segment \"loyal\"");

  @Test
  void businessSegmentsAgreeWithTheOracle() throws IOException {
    Path file = SharedData.require("online-retail/online_retail_uci.csv.gz");
    Map<String, Invoice> invoices = new LinkedHashMap<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
      in.readLine();
      for (String line; (line = in.readLine()) != null; ) {
        List<String> f = fields(line);
        if (f.get(6).isEmpty()) {
          continue; // a guest: no customer id
        }
        Invoice inv = invoices.computeIfAbsent(f.get(0), no -> new Invoice(no,
            f.get(6).replace(".0", ""), f.get(7),
            LocalDateTime.parse(f.get(4), TIME).toInstant(ZoneOffset.UTC)));
        inv.lines++;
        inv.total += Integer.parseInt(f.get(3)) * Double.parseDouble(f.get(5));
      }
    }
    try (Cdp cdp = Cdp.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).build()) {
      Map<String, double[]> spend = new HashMap<>();
      Map<String, Instant> first = new HashMap<>();
      Map<String, String> country = new HashMap<>();
      for (Invoice inv : invoices.values()) {
        boolean cancelled = inv.no.startsWith("C");
        cdp.ingest(Event.track(cancelled ? "Order Cancelled" : "Order Completed")
            .userId(inv.customer).messageId("invoice-" + inv.no).timestamp(inv.at)
            .property("total", Math.round(inv.total * 100) / 100.0).property("lines", inv.lines)
            .build());
        spend.computeIfAbsent(inv.customer, c -> new double[1])[0] += inv.total;
        first.merge(inv.customer, inv.at, (a, b) -> a.isBefore(b) ? a : b);
        country.putIfAbsent(inv.customer, inv.country);
      }
      spend.forEach((customer, total) -> cdp.ingest(Event.identify().userId(customer)
          .messageId("traits-" + customer).timestamp(NOW.minusSeconds(1))
          .trait("ltv", Math.round(total[0] * 100) / 100.0)
          .trait("country", country.get(customer))
          .trait("first_order", first.get(customer).toString()).build()));
      assertThat(cdp.profileCount()).isEqualTo(4372);
      cdp.defineSegment("loyal", "count(\"Order Completed\") >= 10");

      Map<String, SegmentExpr> defined = Map.of("loyal", cdp.segment("loyal").orElseThrow()
          .expression());
      SegmentOracle oracle = new SegmentOracle(NOW, defined::get, cdp::account);
      List<Profile> all = new ArrayList<>();
      cdp.forEachProfile(all::add);
      Map<ProfileId, List<Event>> events = new HashMap<>();
      all.forEach(p -> events.put(p.id(), cdp.events(p.id())));
      for (String text : SEGMENTS) {
        SegmentExpr e = SegmentExpr.parse(text);
        Set<String> expected = all.stream().filter(p -> oracle.test(e, p, events.get(p.id())))
            .map(p -> p.id().value()).collect(Collectors.toCollection(TreeSet::new));
        Set<String> actual = cdp.evaluate(text).profiles().map(p -> p.id().value())
            .collect(Collectors.toCollection(TreeSet::new));
        assertThat(actual).as(text).isEqualTo(expected);
        assertThat(expected).as("a segment that keeps somebody: " + text).isNotEmpty();
        System.out.printf("online retail: %5d of %d customers: %s%n", actual.size(), all.size(),
            text);
      }
    }
  }

  private static final class Invoice {
    final String no;
    final String customer;
    final String country;
    final Instant at;
    int lines;
    double total;

    Invoice(String no, String customer, String country, Instant at) {
      this.no = no;
      this.customer = customer;
      this.country = country;
      this.at = at;
    }
  }

  /** The fields of one CSV line; double quotes enclose fields with commas. */
  private static List<String> fields(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder f = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          f.append('"');
          i++;
        } else {
          quoted = !quoted;
        }
      } else if (c == ',' && !quoted) {
        out.add(f.toString());
        f.setLength(0);
      } else {
        f.append(c);
      }
    }
    out.add(f.toString());
    return out;
  }
}
