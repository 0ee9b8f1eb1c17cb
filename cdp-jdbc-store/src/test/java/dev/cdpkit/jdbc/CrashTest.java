package dev.cdpkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.cdpkit.Cdp;
import dev.cdpkit.Event;
import dev.cdpkit.store.ProfileStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed with SIGKILL at a random moment while it ingests: every message it
 * acknowledged is there afterwards, and none is half applied (each batch is all or nothing, and
 * the stored profiles equal what the stored messages give when ingested afresh).
 */
class CrashTest {
  private static final int ROUNDS = 3;

  @TempDir
  Path dir;

  @Test
  void onH2() throws Exception {
    String url = Databases.h2Url(dir.resolve("crash"));
    check(url, "sa", "");
  }

  @Test
  void onPostgres() throws Exception {
    check(Databases.newPostgresDatabase(), "postgres", "postgres");
  }

  private void check(String url, String user, String password) throws Exception {
    Random random = new Random(42);
    List<Integer> acked = new ArrayList<>();
    List<Integer> batches = new ArrayList<>();
    int next = 0;
    for (int round = 0; round < ROUNDS; round++) {
      int killAfter = 20 + random.nextInt(120);
      int last = runAndKill(url, user, password, next, killAfter, random.nextInt(15), acked,
          batches);
      next = last + 1000; // past whatever the killed process had in flight
    }
    assertThat(acked.size()).isGreaterThanOrEqualTo(ROUNDS * 20);
    try (HikariDataSource ds = Databases.pool(url, user, password)) {
      JdbcProfileStore store = JdbcProfileStore.create(ds);
      for (int i : acked) {
        assertThat(store.containsMessage(Scenario.message(i).messageId())).as("ack %d", i)
            .isTrue();
      }
      for (int i : batches) {
        for (int k = 0; k < 3; k++) {
          assertThat(store.containsMessage(CrashChild.batchMessageId(i, k))).as("batch %d", i)
              .isTrue();
        }
      }
      List<Event> logged = new ArrayList<>(store.unresolvedEvents());
      store.forEachEvent((id, e) -> logged.add(e));
      checkBatchesWhole(store, logged);
      try (Cdp reopened = Cdp.builder().store(store).build();
          Cdp afresh = Cdp.builder().build()) {
        logged.forEach(afresh::ingest);
        assertThat(Scenario.state(reopened)).isEqualTo(Scenario.state(afresh));
      }
    }
  }

  /** A batch's three messages are all stored or none is. */
  private static void checkBatchesWhole(ProfileStore store, List<Event> logged) {
    for (Event e : logged) {
      String id = e.messageId();
      if (id.startsWith("batch-")) {
        String prefix = id.substring(0, id.lastIndexOf('-') + 1);
        for (int k = 0; k < 3; k++) {
          assertThat(store.containsMessage(prefix + k)).as(id + ": the whole batch").isTrue();
        }
      }
    }
  }

  /** Starts a child from message {@code from}, kills it after {@code killAfter} acks. */
  private static int runAndKill(String url, String user, String password, int from,
      int killAfter, int delayMillis, List<Integer> acked, List<Integer> batches)
      throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        CrashChild.class.getName(), url, user, password, Integer.toString(from))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    int last = from;
    int seen = 0;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("ack ")) {
          last = Integer.parseInt(line.substring(4));
          acked.add(last);
          seen++;
        } else if (line.startsWith("batch ")) {
          last = Integer.parseInt(line.substring(6));
          batches.add(last);
          seen++;
        }
        if (seen >= killAfter) {
          Thread.sleep(delayMillis);
          child.destroyForcibly(); // SIGKILL: no shutdown hook, no clean close
          break;
        }
      }
    }
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("the child ends").isTrue();
    assertThat(seen).as("the child acknowledged messages before it was killed")
        .isEqualTo(killAfter);
    return last;
  }
}
