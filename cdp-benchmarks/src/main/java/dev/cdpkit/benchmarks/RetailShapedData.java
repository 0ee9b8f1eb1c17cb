package dev.cdpkit.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;

/**
 * Profiles and events for the segment benchmarks, shaped like the real Online Retail log: each
 * profile is a bootstrapped copy of one real customer's history (its invoices become
 * {@code Feature Used} events, one or two a day of purchase, its cancellations
 * {@code Ticket Created} events), with new ids, dates shifted to end at {@link #NOW} and a per-copy
 * jitter of up to 30 days; its lifetime value is the customer's spend scaled by 0.8 to 1.25. So
 * spend is skewed and purchases repeat as they did. Without {@code ../shared/data} a parametric
 * stand-in is used (lognormal spend, geometric invoice counts) and the README figures do not
 * apply. Seeded: the same arguments give the same data.
 *
 * <p>Held in columns (arrays), so that every engine loads the same values. Not thread-safe.
 */
final class RetailShapedData {
  static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
  static final String[] PLANS = {"free", "starter", "pro", "enterprise", "trial"};
  static final String[] FEATURES = {"A", "B", "C", "D"};
  /** Event kinds: 0 to 3 are Feature Used with FEATURES[kind], 4 is Ticket Created. */
  static final byte TICKET = 4;

  final int profiles;
  final double[] ltv;
  final byte[] plan;
  final String[] countries;
  final short[] country;
  final long[] orders;
  final boolean[] newsletter;
  /** Profile p's events are [eventStart[p], eventStart[p + 1]), in time order. */
  final int[] eventStart;
  final long[] eventTime;
  final byte[] eventKind;
  final boolean real;

  private RetailShapedData(int profiles, List<History> histories, boolean real, long seed) {
    this.profiles = profiles;
    this.real = real;
    Random r = new Random(seed);
    ltv = new double[profiles];
    plan = new byte[profiles];
    country = new short[profiles];
    orders = new long[profiles];
    newsletter = new boolean[profiles];
    Map<String, Short> countryIds = new LinkedHashMap<>();
    eventStart = new int[profiles + 1];
    // two passes: sizes, then values
    int[] pick = new int[profiles];
    long total = 0;
    for (int p = 0; p < profiles; p++) {
      pick[p] = r.nextInt(histories.size());
      total += histories.get(pick[p]).eventCount();
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("too many events: " + total);
    }
    eventTime = new long[(int) total];
    eventKind = new byte[(int) total];
    long end = NOW.toEpochMilli();
    int e = 0;
    for (int p = 0; p < profiles; p++) {
      History h = histories.get(pick[p]);
      double scale = 0.8 + 0.45 * r.nextDouble();
      ltv[p] = Math.round(h.spend * scale * 100) / 100.0;
      orders[p] = h.orders;
      country[p] = countryIds.computeIfAbsent(h.country, k -> (short) countryIds.size());
      newsletter[p] = r.nextInt(10) < 4;
      // the plan follows spend loosely: the richer, the more likely a paid plan
      double rank = Math.min(1.0, Math.log1p(Math.max(0, ltv[p])) / Math.log1p(20_000));
      double x = rank + 0.35 * r.nextGaussian();
      plan[p] = (byte) (r.nextInt(20) == 0 ? 4 : x < 0.45 ? 0 : x < 0.6 ? 1 : x < 0.8 ? 2 : 3);
      long jitter = (long) (r.nextDouble() * 30 * 86_400_000L);
      eventStart[p] = e;
      for (int i = 0; i < h.times.length; i++) {
        eventTime[e] = Math.min(end, end - h.times[i] - jitter);
        eventKind[e] = h.kinds[i] == TICKET ? TICKET : (byte) weightedFeature(r);
        e++;
      }
      // shifting keeps the order; the min() can only tie the newest ones at 'end'
    }
    eventStart[profiles] = e;
    countries = countryIds.keySet().toArray(new String[0]);
  }

  private static int weightedFeature(Random r) {
    int x = r.nextInt(100);
    return x < 35 ? 0 : x < 65 ? 1 : x < 85 ? 2 : 3;
  }

  int events() {
    return eventStart[profiles];
  }

  /** Data for {@code profiles} profiles, from the real log when it is there. */
  static RetailShapedData generate(int profiles, long seed) {
    Path log = sharedData().resolve("online-retail/online_retail_uci.csv.gz");
    if (Files.exists(log)) {
      return new RetailShapedData(profiles, histories(log, seed), true, seed);
    }
    return new RetailShapedData(profiles, parametric(seed), false, seed);
  }

  static Path sharedData() {
    String configured = System.getProperty("cdpkit.shared.data");
    return configured != null ? Paths.get(configured) : Paths.get("../shared/data");
  }

  /** One customer's history: event ages (millis before the log's end), kinds, spend. */
  private static final class History {
    final long[] times;
    final byte[] kinds;
    final double spend;
    final long orders;
    final String country;

    History(long[] times, byte[] kinds, double spend, long orders, String country) {
      this.times = times;
      this.kinds = kinds;
      this.spend = spend;
      this.orders = orders;
      this.country = country;
    }

    int eventCount() {
      return times.length;
    }
  }

  private static List<History> histories(Path log, long seed) {
    DateTimeFormatter format = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    Map<String, Map<String, long[]>> invoices = new HashMap<>(); // customer -> invoice -> at, c
    Map<String, double[]> spend = new HashMap<>();
    Map<String, String> countries = new HashMap<>();
    long last = Long.MIN_VALUE;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(log)), StandardCharsets.UTF_8))) {
      in.readLine();
      for (String line; (line = in.readLine()) != null; ) {
        String[] f = csv(line);
        if (f[6].isEmpty()) {
          continue;
        }
        long at = LocalDateTime.parse(f[4], format).toInstant(ZoneOffset.UTC).toEpochMilli();
        last = Math.max(last, at);
        String customer = f[6];
        invoices.computeIfAbsent(customer, k -> new LinkedHashMap<>())
            .putIfAbsent(f[0], new long[] {at, f[0].startsWith("C") ? 1 : 0});
        spend.computeIfAbsent(customer, k -> new double[1])[0] +=
            Integer.parseInt(f[3]) * Double.parseDouble(f[5]);
        countries.putIfAbsent(customer, f[7]);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Random r = new Random(seed);
    List<History> out = new ArrayList<>();
    List<String> customers = new ArrayList<>(invoices.keySet());
    customers.sort(null);
    for (String c : customers) {
      List<long[]> inv = new ArrayList<>(invoices.get(c).values());
      inv.sort((a, b) -> Long.compare(b[0], a[0])); // newest first: ages ascending
      long[] times = new long[inv.size() * 2];
      byte[] kinds = new byte[inv.size() * 2];
      int n = 0;
      long orders = 0;
      for (long[] i : inv) {
        long age = last - i[0];
        if (i[1] == 1) {
          times[n] = age;
          kinds[n++] = TICKET;
        } else {
          orders++;
          int uses = 1 + r.nextInt(2); // a purchase day: one or two feature uses
          for (int u = 0; u < uses; u++) {
            times[n] = Math.max(0, age - u * 60_000L);
            kinds[n++] = 0;
          }
        }
      }
      // ages ascending means event times descending; store oldest first
      long[] t = Arrays.copyOf(times, n);
      byte[] k = Arrays.copyOf(kinds, n);
      reverse(t, k);
      out.add(new History(t, k, spend.get(c)[0], orders, countries.get(c)));
    }
    return out;
  }

  private static List<History> parametric(long seed) {
    Random r = new Random(seed);
    List<History> out = new ArrayList<>();
    for (int c = 0; c < 5000; c++) {
      int invoices = 1 + (int) (Math.log(1 - r.nextDouble()) / Math.log(1 - 1.0 / 6));
      long[] t = new long[invoices];
      byte[] k = new byte[invoices];
      for (int i = 0; i < invoices; i++) {
        t[i] = (long) (r.nextDouble() * 373 * 86_400_000L);
        k[i] = r.nextInt(10) == 0 ? TICKET : 0;
      }
      Arrays.sort(t);
      for (int i = 0; i < t.length / 2; i++) {
        long x = t[i];
        t[i] = t[t.length - 1 - i];
        t[t.length - 1 - i] = x;
      }
      out.add(new History(t, k, Math.exp(6.5 + 1.3 * r.nextGaussian()), invoices,
          "United Kingdom"));
    }
    return out;
  }

  private static void reverse(long[] t, byte[] k) {
    for (int i = 0, j = t.length - 1; i < j; i++, j--) {
      long x = t[i];
      t[i] = t[j];
      t[j] = x;
      byte y = k[i];
      k[i] = k[j];
      k[j] = y;
    }
  }

  private static String[] csv(String line) {
    String[] out = new String[8];
    StringBuilder f = new StringBuilder();
    boolean quoted = false;
    int n = 0;
    for (int i = 0; i < line.length() && n < 8; i++) {
      char c = line.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        out[n++] = f.toString();
        f.setLength(0);
      } else {
        f.append(c);
      }
    }
    if (n < 8) {
      out[n] = f.toString();
    }
    return out;
  }
}
