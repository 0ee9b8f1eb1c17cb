package dev.cdpkit.jdbc;

import static java.util.Objects.requireNonNull;

import dev.cdpkit.Event;
import dev.cdpkit.Identifier;
import dev.cdpkit.ProfileId;
import dev.cdpkit.internal.EventCodec;
import dev.cdpkit.internal.RecordCodec;
import dev.cdpkit.store.AccountRecord;
import dev.cdpkit.store.Changes;
import dev.cdpkit.store.EventKey;
import dev.cdpkit.store.ProfileRecord;
import dev.cdpkit.store.ProfileStore;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cdpkit store in the host's database: H2 (embedded, a file database and no server) or
 * PostgreSQL. Pass it to {@code Cdp.builder().store(...)}:
 *
 * <pre>{@code
 * JdbcProfileStore store = JdbcProfileStore.create(dataSource);   // the host's pool
 * try (Cdp cdp = Cdp.builder().store(store).build()) { ... }
 * }</pre>
 *
 * <p>Everything the {@code Cdp} derives is kept: the message log, profiles with their traits,
 * provenance, consents and merge log, identifiers, accounts, removed identifiers and segment
 * definitions, so a {@code Cdp} built on a database that holds data sees all of it. At start the
 * store applies the schema migrations it ships ({@code dev/cdpkit/jdbc/migration/V*.sql},
 * recorded in {@code cdp_schema_version}), or with {@link Builder#validateOnly()} only checks that
 * they were applied (for hosts that run them with Flyway or Liquibase). A schema newer than this
 * version knows is refused.
 *
 * <p>One message, or one batch, is one transaction: after a failure nothing of it is visible. A
 * transaction that ingests locks one row first, so several {@code Cdp} instances on one database
 * take turns and each sees what the others committed; message ids are the log's primary key, so
 * a message is stored once however often it is sent. Every value is a bound parameter; text from
 * messages is stored as UTF-8 bytes, exactly. Database errors are {@link StoreException}s that
 * say what the store was doing and carry the SQLState.
 *
 * <p>The store never owns the pool: {@link #close()} does not close the {@code DataSource}.
 *
 * <p>Thread-safe: each call takes its own connection from the {@code DataSource}, except inside
 * {@link #inTransaction}, where the calling thread's calls share the transaction's connection.
 * {@link #forEachProfile} and {@link #forEachEvent} stream rows and hold their connection while
 * they run; an action that calls the store meanwhile takes a second one, so give the pool at
 * least two connections per thread that reads.
 */
public final class JdbcProfileStore implements ProfileStore {
  /** The schema version this store writes and reads. */
  public static final int SCHEMA_VERSION = Schema.VERSION;
  private static final Logger LOG = LoggerFactory.getLogger(JdbcProfileStore.class);

  private final DataSource dataSource;
  private final Dialect dialect;
  private final ThreadLocal<Connection> bound = new ThreadLocal<>();
  /** The database's commit count if every commit since this store was created was its own. */
  private final AtomicLong expectedCommits = new AtomicLong();
  /** Whether another store committed to the database since this one was created. */
  private volatile boolean othersCommitted;
  private final String upsertEvent;
  private final String upsertProfile;
  private final String upsertRedirect;
  private final String upsertIdentifier;
  private final String upsertWatch;
  private final String upsertWatchedUntil;
  private final String upsertRemoved;
  private final String upsertAccount;
  private final String upsertSegment;
  private final String upsertSuppression;
  private final String upsertAudienceMember;

  private JdbcProfileStore(Builder b) {
    this.dataSource = b.dataSource;
    this.dialect = Schema.open(b.dataSource, b.dialect, b.validateOnly);
    upsertEvent = dialect.upsert("cdp_event", List.of("message_id"),
        List.of("profile_id", "unresolved", "body"));
    upsertProfile = dialect.upsert("cdp_profile", List.of("profile_id"), List.of("body"));
    upsertRedirect = dialect.upsert("cdp_redirect", List.of("from_id"), List.of("to_id"));
    upsertIdentifier = dialect.upsert("cdp_identifier", List.of("id_type", "id_value"),
        List.of("profile_id"));
    upsertWatch = dialect.upsert("cdp_watch", List.of("id_type", "id_value", "profile_id"),
        List.of());
    upsertWatchedUntil = dialect.upsert("cdp_watched_until", List.of("id_type", "id_value"),
        List.of("event_key"));
    upsertRemoved = dialect.upsert("cdp_removed_identifier", List.of("id_type", "id_value"),
        List.of());
    upsertAccount = dialect.upsert("cdp_account", List.of("account_id"), List.of("body"));
    upsertSegment = dialect.upsert("cdp_segment", List.of("name"), List.of("seq", "expression"));
    upsertSuppression = dialect.upsert("cdp_suppression", List.of("hash"), List.of());
    upsertAudienceMember = dialect.upsert("cdp_audience_member",
        List.of("audience", "profile_id"), List.of("sent"));
    expectedCommits.set(read("read the commit count", c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT commits FROM cdp_lock WHERE id = 1");
          ResultSet r = s.executeQuery()) {
        return r.next() ? r.getLong(1) : 0L;
      }
    }));
  }

  /**
   * A store on this {@code DataSource} (H2 or PostgreSQL, detected), applying the schema
   * migrations it needs.
   *
   * @throws StoreException if the database cannot be reached, is neither H2 nor PostgreSQL, or
   *     holds a schema newer than this version of cdpkit
   */
  public static JdbcProfileStore create(DataSource dataSource) {
    return builder(dataSource).build();
  }

  /** Starts configuring a store on this {@code DataSource}. */
  public static Builder builder(DataSource dataSource) {
    return new Builder(requireNonNull(dataSource, "dataSource"));
  }

  /** The dialect in use. */
  public Dialect dialect() {
    return dialect;
  }

  // ---- reads ----

  /** A unit of work on a connection. */
  @FunctionalInterface
  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Runs {@code work} on this thread's transaction, or on a connection of its own. */
  private <T> T read(String operation, Work<T> work) {
    Connection c = bound.get();
    try {
      if (c != null) {
        return work.run(c);
      }
      try (Connection own = dataSource.getConnection()) {
        return work.run(own);
      }
    } catch (SQLException e) {
      throw new StoreException(operation, e);
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Binds an identifier's type and value to parameters 1 and 2. */
  private static void bind(PreparedStatement s, Identifier i) throws SQLException {
    s.setBytes(1, utf8(i.type()));
    s.setBytes(2, utf8(i.value()));
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  /** The first column of the first row a query gives, its parameters {@code keys} in order. */
  private static Optional<byte[]> first(Connection c, String sql, byte[]... keys)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int k = 0; k < keys.length; k++) {
        s.setBytes(k + 1, keys[k]);
      }
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(r.getBytes(1)) : Optional.empty();
      }
    }
  }

  @Override
  public boolean containsMessage(String messageId) {
    requireNonNull(messageId, "messageId");
    return read("look up message " + messageId, c -> first(c,
        "SELECT message_id FROM cdp_event WHERE message_id = ?", utf8(messageId)).isPresent());
  }

  @Override
  public Optional<ProfileId> profileOf(Identifier identifier) {
    requireNonNull(identifier, "identifier");
    return read("look up identifier " + identifier, c -> profileIds(c,
        "SELECT profile_id FROM cdp_identifier WHERE id_type = ? AND id_value = ?", identifier)
        .stream().findFirst());
  }

  /** The profile ids a query by identifier (type and value as parameters 1 and 2) gives. */
  private static Set<ProfileId> profileIds(Connection c, String sql, Identifier identifier)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, identifier);
      Set<ProfileId> out = new HashSet<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(ProfileId.of(text(r.getBytes(1))));
        }
      }
      return Set.copyOf(out);
    }
  }

  @Override
  public Optional<ProfileRecord> profile(ProfileId id) {
    requireNonNull(id, "id");
    return read("read profile " + id, c -> first(c,
        "SELECT body FROM cdp_profile WHERE profile_id = ?", utf8(id.value()))
        .map(RecordCodec::decodeProfile));
  }

  @Override
  public Optional<ProfileId> resolve(ProfileId id) {
    requireNonNull(id, "id");
    return read("resolve profile " + id, c -> {
      Set<ProfileId> seen = new HashSet<>();
      ProfileId current = id;
      try (PreparedStatement live = c.prepareStatement(
              "SELECT 1 FROM cdp_profile WHERE profile_id = ?");
          PreparedStatement next = c.prepareStatement(
              "SELECT to_id FROM cdp_redirect WHERE from_id = ?")) {
        while (seen.add(current)) {
          live.setBytes(1, utf8(current.value()));
          try (ResultSet r = live.executeQuery()) {
            if (r.next()) {
              return Optional.of(current);
            }
          }
          next.setBytes(1, utf8(current.value()));
          try (ResultSet r = next.executeQuery()) {
            if (!r.next()) {
              return Optional.empty();
            }
            current = ProfileId.of(text(r.getBytes(1)));
          }
        }
      }
      throw new IllegalStateException("profile id redirects form a cycle at " + id);
    });
  }

  @Override
  public List<Event> events(ProfileId id) {
    requireNonNull(id, "id");
    return read("read the events of profile " + id, c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT body FROM cdp_event WHERE profile_id = ?")) {
        s.setBytes(1, utf8(id.value()));
        return decodeEvents(s);
      }
    });
  }

  private static List<Event> decodeEvents(PreparedStatement s) throws SQLException {
    List<Event> out = new ArrayList<>();
    try (ResultSet r = s.executeQuery()) {
      while (r.next()) {
        out.add(EventCodec.decode(r.getBytes(1)));
      }
    }
    return out;
  }

  @Override
  public List<Event> unresolvedEvents() {
    return read("read the unresolved events", c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT body FROM cdp_event WHERE unresolved = TRUE")) {
        return decodeEvents(s);
      }
    });
  }

  @Override
  public Set<ProfileId> profilesWatching(Identifier identifier) {
    requireNonNull(identifier, "identifier");
    return read("read the profiles watching " + identifier, c -> profileIds(c,
        "SELECT profile_id FROM cdp_watch WHERE id_type = ? AND id_value = ?", identifier));
  }

  @Override
  public Optional<EventKey> watchedUntil(Identifier identifier) {
    requireNonNull(identifier, "identifier");
    return read("read how long " + identifier + " is watched", c -> watchedUntil(c, identifier));
  }

  private static Optional<EventKey> watchedUntil(Connection c, Identifier identifier)
      throws SQLException {
    return first(c, "SELECT event_key FROM cdp_watched_until WHERE id_type = ? AND id_value = ?",
        utf8(identifier.type()), utf8(identifier.value())).map(RecordCodec::decodeKey);
  }

  @Override
  public Set<Identifier> removedIdentifiers() {
    return read("read the removed identifiers", c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT id_type, id_value FROM cdp_removed_identifier");
          ResultSet r = s.executeQuery()) {
        Set<Identifier> out = new HashSet<>();
        while (r.next()) {
          out.add(new Identifier(text(r.getBytes(1)), text(r.getBytes(2))));
        }
        return Set.copyOf(out);
      }
    });
  }

  @Override
  public Optional<AccountRecord> account(String accountId) {
    requireNonNull(accountId, "accountId");
    return read("read account " + accountId, c -> first(c,
        "SELECT body FROM cdp_account WHERE account_id = ?", utf8(accountId))
        .map(RecordCodec::decodeAccount));
  }

  @Override
  public long profileCount() {
    return read("count the profiles", c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM cdp_profile");
          ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    });
  }

  @Override
  public void forEachProfile(Consumer<ProfileRecord> action) {
    requireNonNull(action, "action");
    stream("read every profile", "SELECT body FROM cdp_profile",
        r -> action.accept(RecordCodec.decodeProfile(r.getBytes(1))));
  }

  @Override
  public void forEachEvent(BiConsumer<ProfileId, Event> action) {
    requireNonNull(action, "action");
    stream("read every event", "SELECT profile_id, body FROM cdp_event"
        + " WHERE profile_id IS NOT NULL", r -> action.accept(ProfileId.of(text(r.getBytes(1))),
            EventCodec.decode(r.getBytes(2))));
  }

  /** A consumer of the current row of a result set. */
  @FunctionalInterface
  private interface RowAction {
    void accept(ResultSet row) throws SQLException;
  }

  /**
   * Runs a query from one snapshot and hands each row to {@code action} as it arrives (rows are
   * fetched a thousand at a time, never all held). Outside a transaction it takes a connection of
   * its own, so {@code action} may call the store (on other connections).
   */
  private void stream(String operation, String sql, RowAction action) {
    stream(operation, sql, s -> { }, action);
  }

  /** Binds the parameters of a statement. */
  @FunctionalInterface
  private interface Binding {
    void bind(PreparedStatement s) throws SQLException;
  }

  private void stream(String operation, String sql, Binding binding, RowAction action) {
    Work<Void> scan = c -> {
      try (PreparedStatement s = c.prepareStatement(sql)) {
        binding.bind(s);
        s.setFetchSize(1000);
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            action.accept(r);
          }
        }
      }
      return null;
    };
    if (bound.get() != null) {
      read(operation, scan);
      return;
    }
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false); // PostgreSQL streams rows only inside a transaction
      try {
        scan.run(c);
      } finally {
        c.rollback();
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new StoreException(operation, e);
    }
  }

  @Override
  public Map<String, String> segments() {
    return read("read the segment definitions", c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT name, expression FROM cdp_segment ORDER BY seq");
          ResultSet r = s.executeQuery()) {
        Map<String, String> out = new LinkedHashMap<>();
        while (r.next()) {
          out.put(text(r.getBytes(1)), text(r.getBytes(2)));
        }
        return Collections.unmodifiableMap(out);
      }
    });
  }

  // ---- writes ----

  @Override
  public <T> T inTransaction(Supplier<T> work) {
    requireNonNull(work, "work");
    if (bound.get() != null) {
      return work.get();
    }
    Connection c;
    try {
      c = dataSource.getConnection();
    } catch (SQLException e) {
      throw new StoreException("open a transaction", e);
    }
    try {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        long commits = count(c, lock(c));
        try {
          bound.set(c);
          T result = work.get();
          c.commit();
          return result;
        } catch (RuntimeException | Error | SQLException e) {
          expectedCommits.compareAndSet(commits + 1, commits);
          throw e;
        }
      } catch (RuntimeException | Error e) {
        rollback(c, e);
        throw e;
      } catch (SQLException e) {
        rollback(c, e);
        throw new StoreException("commit a transaction", e);
      } finally {
        bound.remove();
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new StoreException("end a transaction", e);
    } finally {
      try {
        c.close();
      } catch (SQLException e) {
        // the transaction has ended; a connection that does not close is the pool's to judge
      }
    }
  }

  /** Runs {@code work} on this thread's transaction, or in one of its own. */
  private <T> T write(String operation, Work<T> work) {
    return inTransaction(() -> {
      try {
        return work.run(bound.get());
      } catch (SQLException e) {
        throw new StoreException(operation, e);
      }
    });
  }

  @Override
  public int erase(Set<String> messageIds, Set<Identifier> identifiers,
      Set<ProfileId> profiles) {
    requireNonNull(messageIds, "messageIds");
    requireNonNull(identifiers, "identifiers");
    requireNonNull(profiles, "profiles");
    return write("erase a forgotten person's data", c -> {
      int erased = 0;
      try (PreparedStatement s = c.prepareStatement(
          "DELETE FROM cdp_event WHERE message_id = ?")) {
        for (String id : messageIds) {
          s.setBytes(1, utf8(id));
          erased += s.executeUpdate();
        }
      }
      for (String table : new String[] {"cdp_identifier", "cdp_watch", "cdp_watched_until",
          "cdp_removed_identifier"}) {
        try (PreparedStatement s = c.prepareStatement(
            "DELETE FROM " + table + " WHERE id_type = ? AND id_value = ?")) {
          for (Identifier i : identifiers) {
            bind(s, i);
            s.executeUpdate();
          }
        }
      }
      try (PreparedStatement s = c.prepareStatement(
          "DELETE FROM cdp_redirect WHERE from_id = ? OR to_id = ?")) {
        for (ProfileId p : profiles) {
          s.setBytes(1, utf8(p.value()));
          s.setBytes(2, utf8(p.value()));
          s.executeUpdate();
        }
      }
      return erased;
    });
  }

  @Override
  public Set<String> suppressions() {
    return read("read the suppressions", c -> {
      Set<String> out = new HashSet<>();
      try (PreparedStatement s = c.prepareStatement("SELECT hash FROM cdp_suppression");
          ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(text(r.getBytes(1)));
        }
      }
      return Set.copyOf(out);
    });
  }

  @Override
  public void putSuppressions(Set<String> hashes) {
    requireNonNull(hashes, "hashes");
    write("record suppressions", c -> {
      try (PreparedStatement s = c.prepareStatement(upsertSuppression)) {
        for (String h : hashes) {
          s.setBytes(1, utf8(h));
          s.executeUpdate();
        }
      }
      return null;
    });
  }

  @Override
  public boolean removeSuppression(String hash) {
    requireNonNull(hash, "hash");
    return write("lift a suppression", c -> {
      try (PreparedStatement s = c.prepareStatement(
          "DELETE FROM cdp_suppression WHERE hash = ?")) {
        s.setBytes(1, utf8(hash));
        return s.executeUpdate() > 0;
      }
    });
  }

  @Override
  public void forEachAudienceMember(String audience,
      BiConsumer<ProfileId, List<String>> action) {
    requireNonNull(audience, "audience");
    requireNonNull(action, "action");
    stream("read audience " + audience, "SELECT profile_id, sent FROM cdp_audience_member"
        + " WHERE audience = ?", s -> s.setBytes(1, utf8(audience)),
        r -> action.accept(ProfileId.of(text(r.getBytes(1))),
            RecordCodec.decodeStrings(r.getBytes(2))));
  }

  @Override
  public Map<ProfileId, List<String>> audienceMembers(String audience,
      Set<ProfileId> profiles) {
    requireNonNull(audience, "audience");
    requireNonNull(profiles, "profiles");
    return read("read audience " + audience, c -> {
      Map<ProfileId, List<String>> out = new HashMap<>();
      try (PreparedStatement s = c.prepareStatement("SELECT sent FROM cdp_audience_member"
          + " WHERE audience = ? AND profile_id = ?")) {
        s.setBytes(1, utf8(audience));
        for (ProfileId p : profiles) {
          s.setBytes(2, utf8(p.value()));
          try (ResultSet r = s.executeQuery()) {
            if (r.next()) {
              out.put(p, RecordCodec.decodeStrings(r.getBytes(1)));
            }
          }
        }
      }
      return out;
    });
  }

  @Override
  public void updateAudience(String audience, Map<ProfileId, List<String>> added,
      Set<ProfileId> removed) {
    requireNonNull(audience, "audience");
    requireNonNull(added, "added");
    requireNonNull(removed, "removed");
    write("record a sync of audience " + audience, c -> {
      try (PreparedStatement s = c.prepareStatement(
          "DELETE FROM cdp_audience_member WHERE audience = ? AND profile_id = ?")) {
        s.setBytes(1, utf8(audience));
        for (ProfileId p : removed) {
          s.setBytes(2, utf8(p.value()));
          s.addBatch();
        }
        s.executeBatch();
      }
      try (PreparedStatement s = c.prepareStatement(upsertAudienceMember)) {
        s.setBytes(1, utf8(audience));
        for (Map.Entry<ProfileId, List<String>> e : added.entrySet()) {
          s.setBytes(2, utf8(e.getKey().value()));
          s.setBytes(3, RecordCodec.encode(e.getValue()));
          s.addBatch();
        }
        s.executeBatch();
      }
      return null;
    });
  }

  /** The lock row: commits so far, and those at which the snapshot was kept (or null). */
  private record LockRow(long commits, Long snapshotCommits) {}

  /** Locks the row that writers take turns on, until the transaction ends, and reads it. */
  private static LockRow lock(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT commits, snapshot_commits FROM cdp_lock WHERE id = 1 FOR UPDATE");
        ResultSet r = s.executeQuery()) {
      if (!r.next()) {
        throw new SQLException("the cdp_lock row is missing; was the table emptied?", "55000");
      }
      long commits = r.getLong(1);
      long kept = r.getLong(2);
      return new LockRow(commits, r.wasNull() ? null : kept);
    }
  }

  /**
   * Counts this transaction as one more commit (which makes a kept snapshot stale, so it goes)
   * and notes whether the commits before it were this store's own; returns the count before.
   */
  private long count(Connection c, LockRow row) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "UPDATE cdp_lock SET commits = ?, snapshot_commits = NULL WHERE id = 1")) {
      s.setLong(1, row.commits() + 1);
      s.executeUpdate();
    }
    if (row.snapshotCommits() != null) {
      try (PreparedStatement s = c.prepareStatement("DELETE FROM cdp_snapshot")) {
        s.executeUpdate();
      }
    }
    if (!expectedCommits.compareAndSet(row.commits(), row.commits() + 1)) {
      othersCommitted = true;
    }
    return row.commits();
  }

  /** Runs {@code work} in a transaction of its own that holds the lock row. */
  private <T> T locked(String operation, LockedWork<T> work) {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        T result = work.run(c, lock(c));
        c.commit();
        return result;
      } catch (RuntimeException | Error | SQLException e) {
        rollback(c, e);
        throw e;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new StoreException(operation, e);
    }
  }

  /** A unit of work on a connection that holds the lock row. */
  @FunctionalInterface
  private interface LockedWork<T> {
    T run(Connection c, LockRow row) throws SQLException;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Read in one transaction that holds the lock row, so no writer changes it meanwhile.
   */
  @Override
  public Optional<List<byte[]>> snapshot() {
    return locked("read the index snapshot", (c, row) -> {
      if (row.snapshotCommits() == null || row.snapshotCommits() != row.commits()) {
        return Optional.empty();
      }
      List<byte[]> parts = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement(
          "SELECT body FROM cdp_snapshot ORDER BY part");
          ResultSet r = s.executeQuery()) {
        while (r.next()) {
          parts.add(r.getBytes(1));
        }
      }
      return Optional.of(parts);
    });
  }

  /**
   * {@inheritDoc}
   *
   * <p>Kept only when the database's commit count is the one this store expects from its own
   * commits since it was created; the snapshot is made before the lock row is taken.
   */
  @Override
  public void saveSnapshot(Supplier<List<byte[]>> snapshot) {
    requireNonNull(snapshot, "snapshot");
    if (othersCommitted) {
      LOG.info("cdpkit: not keeping an index snapshot: another store committed to this database"
          + " since this one was created");
      return;
    }
    List<byte[]> parts = snapshot.get();
    boolean kept = locked("keep the index snapshot", (c, row) -> {
      if (othersCommitted || row.commits() != expectedCommits.get()) {
        return false;
      }
      try (PreparedStatement s = c.prepareStatement("DELETE FROM cdp_snapshot")) {
        s.executeUpdate();
      }
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO cdp_snapshot (part, body) VALUES (?, ?)")) {
        for (int i = 0; i < parts.size(); i++) {
          s.setInt(1, i);
          s.setBytes(2, parts.get(i));
          s.executeUpdate();
        }
      }
      try (PreparedStatement s = c.prepareStatement(
          "UPDATE cdp_lock SET snapshot_commits = commits WHERE id = 1")) {
        s.executeUpdate();
      }
      return true;
    });
    if (!kept) {
      othersCommitted = true;
      LOG.info("cdpkit: not keeping an index snapshot: another store committed to this database"
          + " since this one was created");
    }
  }

  private static void rollback(Connection c, Throwable cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  @Override
  public void commit(Changes changes) {
    requireNonNull(changes, "changes");
    inTransaction(() -> {
      try {
        apply(bound.get(), changes);
      } catch (SQLException e) {
        throw new StoreException("commit a message's changes", e);
      }
      return null;
    });
  }

  @Override
  public void putSegment(String name, String expression) {
    requireNonNull(name, "name");
    requireNonNull(expression, "expression");
    inTransaction(() -> {
      try {
        Connection c = bound.get();
        long seq;
        try (PreparedStatement s = c.prepareStatement(
            "SELECT COALESCE(MAX(seq), 0) FROM cdp_segment");
            ResultSet r = s.executeQuery()) {
          r.next();
          seq = r.getLong(1) + 1;
        }
        try (PreparedStatement s = c.prepareStatement(upsertSegment)) {
          s.setBytes(1, utf8(name));
          s.setLong(2, seq);
          s.setBytes(3, utf8(expression));
          s.executeUpdate();
        }
      } catch (SQLException e) {
        throw new StoreException("define segment '" + name + "'", e);
      }
      return null;
    });
  }

  /** Applies the parts of {@code ch} in the order {@link Changes} gives. */
  private void apply(Connection c, Changes ch) throws SQLException {
    if (!ch.rebuilt().isEmpty()) {
      try (PreparedStatement profile = c.prepareStatement(
              "DELETE FROM cdp_profile WHERE profile_id = ?");
          PreparedStatement watch = c.prepareStatement(
              "DELETE FROM cdp_watch WHERE profile_id = ?");
          PreparedStatement events = c.prepareStatement(
              "UPDATE cdp_event SET profile_id = NULL WHERE profile_id = ?")) {
        for (ProfileId id : ch.rebuilt()) {
          byte[] key = utf8(id.value());
          for (PreparedStatement s : List.of(profile, watch, events)) {
            s.setBytes(1, key);
            s.addBatch();
          }
        }
        profile.executeBatch();
        watch.executeBatch();
        events.executeBatch();
      }
    }
    if (ch.resetUnresolved()) {
      try (PreparedStatement s = c.prepareStatement(
          "UPDATE cdp_event SET unresolved = FALSE WHERE unresolved = TRUE")) {
        s.executeUpdate();
      }
    }
    if (!ch.unresolved().isEmpty() || !ch.placements().isEmpty()) {
      try (PreparedStatement s = c.prepareStatement(upsertEvent)) {
        for (Event e : ch.unresolved()) {
          s.setBytes(1, utf8(e.messageId()));
          s.setBytes(2, null);
          s.setBoolean(3, true);
          s.setBytes(4, EventCodec.encode(e));
          s.addBatch();
        }
        for (Changes.Placement p : ch.placements()) {
          s.setBytes(1, utf8(p.event().messageId()));
          s.setBytes(2, utf8(p.profile().value()));
          s.setBoolean(3, false);
          s.setBytes(4, EventCodec.encode(p.event()));
          s.addBatch();
        }
        s.executeBatch();
      }
    }
    if (!ch.moves().isEmpty()) {
      try (PreparedStatement s = c.prepareStatement(
          "UPDATE cdp_event SET profile_id = ? WHERE profile_id = ?")) {
        for (Changes.Move m : ch.moves()) {
          s.setBytes(1, utf8(m.to().value()));
          s.setBytes(2, utf8(m.from().value()));
          s.executeUpdate(); // in order: a later move may take what an earlier one brought
        }
      }
    }
    if (!ch.retired().isEmpty() || !ch.profiles().isEmpty()) {
      try (PreparedStatement deleteProfile = c.prepareStatement(
              "DELETE FROM cdp_profile WHERE profile_id = ?");
          PreparedStatement deleteWatch = c.prepareStatement(
              "DELETE FROM cdp_watch WHERE profile_id = ?");
          PreparedStatement deleteRedirect = c.prepareStatement(
              "DELETE FROM cdp_redirect WHERE from_id = ?");
          PreparedStatement redirect = c.prepareStatement(upsertRedirect);
          PreparedStatement profile = c.prepareStatement(upsertProfile);
          PreparedStatement watch = c.prepareStatement(upsertWatch)) {
        for (Map.Entry<ProfileId, ProfileId> r : ch.retired().entrySet()) {
          byte[] from = utf8(r.getKey().value());
          deleteProfile.setBytes(1, from);
          deleteProfile.addBatch();
          deleteWatch.setBytes(1, from);
          deleteWatch.addBatch();
          redirect.setBytes(1, from);
          redirect.setBytes(2, utf8(r.getValue().value()));
          redirect.addBatch();
        }
        deleteProfile.executeBatch();
        deleteWatch.executeBatch();
        redirect.executeBatch();
        Map<Identifier, EventKey> until = new LinkedHashMap<>();
        for (ProfileRecord r : ch.profiles().values()) {
          byte[] id = utf8(r.id().value());
          profile.setBytes(1, id);
          profile.setBytes(2, RecordCodec.encode(r));
          profile.addBatch();
          deleteWatch.setBytes(1, id);
          deleteWatch.addBatch();
          deleteRedirect.setBytes(1, id);
          deleteRedirect.addBatch();
          for (Identifier i : r.watched()) {
            bind(watch, i);
            watch.setBytes(3, id);
            watch.addBatch();
            until.merge(i, r.latest(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
          }
        }
        profile.executeBatch();
        deleteWatch.executeBatch();
        deleteRedirect.executeBatch();
        watch.executeBatch();
        watchUntil(c, until);
      }
    }
    if (!ch.removedIdentifiers().isEmpty()) {
      try (PreparedStatement s = c.prepareStatement(
          "DELETE FROM cdp_identifier WHERE id_type = ? AND id_value = ?")) {
        for (Identifier i : ch.removedIdentifiers()) {
          bind(s, i);
          s.addBatch();
        }
        s.executeBatch();
      }
    }
    if (!ch.identifiers().isEmpty()) {
      try (PreparedStatement s = c.prepareStatement(upsertIdentifier)) {
        for (Map.Entry<Identifier, ProfileId> e : ch.identifiers().entrySet()) {
          bind(s, e.getKey());
          s.setBytes(3, utf8(e.getValue().value()));
          s.addBatch();
        }
        s.executeBatch();
      }
    }
    if (!ch.accounts().isEmpty()) {
      try (PreparedStatement s = c.prepareStatement(upsertAccount)) {
        for (AccountRecord a : ch.accounts().values()) {
          s.setBytes(1, utf8(a.id()));
          s.setBytes(2, RecordCodec.encode(a));
          s.addBatch();
        }
        s.executeBatch();
      }
    }
    if (!ch.removed().isEmpty()) {
      try (PreparedStatement s = c.prepareStatement(upsertRemoved)) {
        for (Identifier i : ch.removed()) {
          bind(s, i);
          s.addBatch();
        }
        s.executeBatch();
      }
    }
  }

  /** Raises each identifier's watched-until key to {@code until}'s where that is later. */
  private void watchUntil(Connection c, Map<Identifier, EventKey> until) throws SQLException {
    if (until.isEmpty()) {
      return;
    }
    try (PreparedStatement s = c.prepareStatement(upsertWatchedUntil)) {
      boolean any = false;
      for (Map.Entry<Identifier, EventKey> e : until.entrySet()) {
        Optional<EventKey> known = watchedUntil(c, e.getKey());
        if (known.isPresent() && known.get().compareTo(e.getValue()) >= 0) {
          continue;
        }
        bind(s, e.getKey());
        s.setBytes(3, RecordCodec.encode(e.getValue()));
        s.addBatch();
        any = true;
      }
      if (any) {
        s.executeBatch();
      }
    }
  }

  /** Does nothing: the {@code DataSource} is the host's. */
  @Override
  public void close() {}

  /**
   * Configures a {@link JdbcProfileStore}. Not thread-safe.
   */
  public static final class Builder {
    private final DataSource dataSource;
    private Dialect dialect;
    private boolean validateOnly;

    private Builder(DataSource dataSource) {
      this.dataSource = dataSource;
    }

    /** Uses this dialect instead of detecting it from the connection's metadata. */
    public Builder dialect(Dialect dialect) {
      this.dialect = requireNonNull(dialect, "dialect");
      return this;
    }

    /**
     * Applies no migration: only checks that the schema is at {@link #SCHEMA_VERSION}, for hosts
     * that run the shipped scripts ({@code dev/cdpkit/jdbc/migration/V*.sql}) with Flyway or
     * Liquibase.
     */
    public Builder validateOnly() {
      this.validateOnly = true;
      return this;
    }

    /**
     * Opens the store: detects the dialect and brings the schema to {@link #SCHEMA_VERSION}.
     *
     * @throws StoreException if the database cannot be reached or is not supported, the schema
     *     is newer than this cdpkit knows, or (with {@link #validateOnly()}) it is older
     */
    public JdbcProfileStore build() {
      return new JdbcProfileStore(this);
    }
  }
}
