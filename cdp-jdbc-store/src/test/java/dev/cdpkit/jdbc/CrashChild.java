package dev.cdpkit.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.cdpkit.Cdp;
import dev.cdpkit.IngestResult;
import java.io.PrintStream;

/**
 * The process {@link CrashTest} kills: ingests the scenario's messages from a given index on,
 * every tenth as a batch of three JSON messages, and prints {@code ack <i>} (or {@code batch <i>})
 * on standard output after each ingestion returned, until it is killed.
 */
public final class CrashChild {
  private CrashChild() {}

  /** A batch envelope of three identify messages, all or none of which may be stored. */
  static String batch(int i) {
    StringBuilder b = new StringBuilder("{\"batch\": [");
    for (int k = 0; k < 3; k++) {
      b.append(k == 0 ? "" : ", ").append("{\"type\": \"identify\", \"messageId\": \"")
          .append(batchMessageId(i, k)).append("\", \"userId\": \"b").append((i + k) % 30)
          .append("\", \"timestamp\": \"2026-06-01T00:00:00Z\", \"traits\": {\"batch\": ")
          .append(i).append("}}");
    }
    return b.append("]}").toString();
  }

  static String batchMessageId(int i, int k) {
    return "batch-" + i + "-" + k;
  }

  /** Arguments: JDBC URL, user, password, first message index. */
  public static void main(String[] args) {
    PrintStream out = System.out;
    try (HikariDataSource ds = Databases.pool(args[0], args[1], args[2]);
        Cdp cdp = Cdp.builder().store(JdbcProfileStore.create(ds)).build()) {
      out.println("ready");
      out.flush();
      for (int i = Integer.parseInt(args[3]); ; i++) {
        if (i % 10 == 0) {
          IngestResult r = cdp.ingestJson(batch(i));
          if (!r.errors().isEmpty()) {
            throw new IllegalStateException(r.errors().toString());
          }
          out.println("batch " + i);
        } else {
          cdp.ingest(Scenario.message(i));
          out.println("ack " + i);
        }
        out.flush();
      }
    }
  }
}
