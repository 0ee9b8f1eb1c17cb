package dev.cdpkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.cdpkit.Cdp;
import dev.cdpkit.Event;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several threads, and two {@code Cdp} instances on one PostgreSQL, ingest the same messages
 * in different orders, each message several times: the stored state equals ingesting the set
 * once, in order, into memory.
 */
class ConcurrencyTest {
  private static final List<Event> MESSAGES = Scenario.messages(250);

  @TempDir
  Path dir;

  private static TreeSet<String> expected() {
    try (Cdp memory = Cdp.builder().build()) {
      MESSAGES.forEach(memory::ingest);
      return Scenario.state(memory);
    }
  }

  @Test
  void threadsOfOneCdpOnH2() throws Exception {
    try (HikariDataSource ds = Databases.h2(dir);
        Cdp cdp = Cdp.builder().store(JdbcProfileStore.create(ds)).build()) {
      ingestConcurrently(List.of(cdp, cdp, cdp, cdp));
      assertThat(Scenario.state(cdp)).isEqualTo(expected());
    }
  }

  @Test
  void twoCdpInstancesOnOnePostgres() throws Exception {
    String url = Databases.newPostgresDatabase();
    try (HikariDataSource one = Databases.pool(url, "postgres", "postgres");
        HikariDataSource two = Databases.pool(url, "postgres", "postgres");
        Cdp first = Cdp.builder().store(JdbcProfileStore.create(one)).build();
        Cdp second = Cdp.builder().store(JdbcProfileStore.create(two)).build()) {
      ingestConcurrently(List.of(first, second, first, second));
      TreeSet<String> want = expected();
      assertThat(Scenario.state(first)).as("read through the first").isEqualTo(want);
      try (Cdp third = Cdp.builder().store(JdbcProfileStore.create(one)).build()) {
        assertThat(Scenario.state(third)).as("a Cdp opened afterwards").isEqualTo(want);
      }
    }
  }

  /** Each Cdp of the list gets a thread that ingests every message, in its own order. */
  private static void ingestConcurrently(List<Cdp> cdps) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(cdps.size());
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < cdps.size(); t++) {
        Cdp cdp = cdps.get(t);
        List<Event> order = new ArrayList<>(MESSAGES);
        Collections.shuffle(order, new Random(t));
        done.add(pool.submit(() -> order.forEach(cdp::ingest)));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }
}
