package dev.cdpkit.benchmarks;

import java.time.Instant;

/**
 * analytics.js-sized Segment Spec messages (about 1.3 KB, shaped like the real browser payloads
 * in {@code ../shared/data/segment-spec}): nine tracks to one identify, from a number of users,
 * each with a new message id, in time order. Not thread-safe.
 */
final class SpecMessages {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final String CONTEXT = "\"context\":{\"page\":{\"path\":\"/pricing\","
      + "\"referrer\":\"https://www.google.com/\",\"search\":\"\",\"title\":\"Pricing - Acme\","
      + "\"url\":\"https://acme.example/pricing\"},\"userAgent\":\"Mozilla/5.0 (Windows NT 10.0;"
      + " Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/108.0.5359.29"
      + " Safari/537.36\",\"userAgentData\":{\"brands\":[],\"mobile\":false,\"platform\":\"\"},"
      + "\"locale\":\"en-US\",\"library\":{\"name\":\"analytics.js\",\"version\":"
      + "\"npm:next-1.72.0\"},\"timezone\":\"America/Chicago\",\"campaign\":{\"name\":"
      + "\"winter\",\"source\":\"newsletter\",\"medium\":\"email\"},\"ip\":\"203.0.113.7\"},"
      + "\"integrations\":{},\"writeKey\":\"<SOME_WRITE_KEY>\",\"_metadata\":{\"bundled\":"
      + "[\"Segment.io\"],\"unbundled\":[],\"bundledIds\":[]}";

  private final int users;
  private long n;

  SpecMessages(int users) {
    this.users = users;
  }

  /** Builds the next message: a track, or every tenth an identify. */
  String next() {
    long i = n++;
    long user = i % users;
    String at = START.plusMillis(i * 10).toString();
    StringBuilder sb = new StringBuilder(1400);
    if (i % 10 == 0) {
      sb.append("{\"type\":\"identify\",\"userId\":\"user-").append(user)
          .append("\",\"anonymousId\":\"anon-").append(user)
          .append("-1fb4b6f9-accb-4b69-b8a4-e357fd87e172\",\"traits\":{\"email\":\"user")
          .append(user).append("@example.com\",\"plan\":\"")
          .append(i % 3 == 0 ? "pro" : "free").append("\",\"ltv\":").append(i % 5000)
          .append(",\"company\":{\"name\":\"Acme\",\"employees\":120}},");
    } else {
      sb.append("{\"type\":\"track\",\"event\":\"Feature Used\",\"userId\":\"user-")
          .append(user).append("\",\"anonymousId\":\"anon-").append(user)
          .append("-1fb4b6f9-accb-4b69-b8a4-e357fd87e172\",\"properties\":{\"feature\":\"")
          .append((char) ('A' + i % 3)).append("\",\"duration_ms\":").append(i % 9000)
          .append(",\"plan\":\"pro\",\"path\":\"/app/reports\"},");
    }
    return sb.append(CONTEXT).append(",\"messageId\":\"ajs-next-").append(i)
        .append("-db6978a4-e357-4d87-a172-b42aa3aebd8c\",\"timestamp\":\"").append(at)
        .append("\",\"sentAt\":\"").append(at).append("\"}").toString();
  }

  /** The next {@code k} messages in one {@code {"batch": [...]}} envelope. */
  String nextBatch(int k) {
    StringBuilder sb = new StringBuilder(k * 1400 + 16).append("{\"batch\":[");
    for (int i = 0; i < k; i++) {
      sb.append(i == 0 ? "" : ",").append(next());
    }
    return sb.append("]}").toString();
  }
}
