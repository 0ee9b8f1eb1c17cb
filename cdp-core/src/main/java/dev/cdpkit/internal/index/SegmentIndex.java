package dev.cdpkit.internal.index;

import dev.cdpkit.ClauseCount;
import dev.cdpkit.Event;
import dev.cdpkit.EventType;
import dev.cdpkit.Identifier;
import dev.cdpkit.Profile;
import dev.cdpkit.internal.Bytes.In;
import dev.cdpkit.internal.Bytes.Out;
import dev.cdpkit.ProfileId;
import dev.cdpkit.segment.SegmentExpr;
import dev.cdpkit.segment.SegmentExpr.Aggregate;
import dev.cdpkit.segment.SegmentExpr.AggregateCompare;
import dev.cdpkit.segment.SegmentExpr.And;
import dev.cdpkit.segment.SegmentExpr.Consented;
import dev.cdpkit.segment.SegmentExpr.Has;
import dev.cdpkit.segment.SegmentExpr.InSegment;
import dev.cdpkit.segment.SegmentExpr.IsNull;
import dev.cdpkit.segment.SegmentExpr.Not;
import dev.cdpkit.segment.SegmentExpr.Or;
import dev.cdpkit.segment.SegmentExpr.Path;
import dev.cdpkit.store.AccountRecord;
import dev.cdpkit.store.Changes;
import dev.cdpkit.store.ProfileRecord;
import dev.cdpkit.store.ProfileStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.roaringbitmap.FastAggregation;
import org.roaringbitmap.RoaringBitmap;

/**
 * The segment engine: every live profile has a row (its ordinal, the bit position in every
 * bitmap); traits live in indexed columns by row, identifier types, consents and account
 * memberships in bitmaps, accounts' traits in a table of their own, and every aggregate a segment
 * used in an index kept current as events arrive. An expression is evaluated by bitmap operations:
 * an {@code and} evaluates its most selective term first and every further term only within what
 * is left; {@code not} is taken against the live rows.
 *
 * <p>Thread-safe: changes take the write lock; evaluations the read lock (and, when the clock has
 * moved past a window's next change, the write lock briefly to bring the aggregates to it), so a
 * reader sees each change whole or not at all.
 */
public final class SegmentIndex {
  private static final int NUMBER = 1;
  private static final int OTHER = 2;
  /** Up to this many rows, a named segment is evaluated within them, not for every profile. */
  private static final int SMALL_CONTEXT = 4096;

  private final ProfileStore store;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Table profiles = new Table();
  private final Table accounts = new Table();
  private final Flags identifierTypes = new Flags();
  private final Flags consents = new Flags();
  private final Flags memberships = new Flags();
  private final Map<ProfileId, Integer> rowOf = new HashMap<>();
  private ProfileId[] idOf = new ProfileId[16];
  private final Map<String, Integer> accountRowOf = new HashMap<>();
  private String[] accountIdOf = new String[16];
  private final Map<Aggregate, AggregateIndex> aggregates = new HashMap<>();
  /** Per event name, per property path, the kinds of value seen ({@link #NUMBER}, {@link #OTHER}). */
  private final Map<String, Map<String, Integer>> propertyKinds = new HashMap<>();

  /** An empty engine over {@code store}, which it reads events from for new aggregates. */
  public SegmentIndex(ProfileStore store) {
    this.store = store;
  }

  /**
   * Indexes everything the store holds (for a {@code Cdp} opened on a store with data), with the
   * aggregates that the {@code defined} segments use: one pass over the profiles, one over the
   * events.
   */
  public void load(Collection<SegmentExpr> defined, long now,
      Function<String, SegmentExpr> segments) {
    Set<Aggregate> wanted = new LinkedHashSet<>();
    for (SegmentExpr e : defined) {
      collect(e, segments, wanted, new HashSet<>());
    }
    lock.writeLock().lock();
    try {
      List<AggregateIndex> built = new ArrayList<>();
      for (Aggregate a : wanted) {
        AggregateIndex x = new AggregateIndex(a, now);
        aggregates.put(a, x);
        built.add(x);
      }
      Set<String> accountIds = new HashSet<>();
      store.forEachProfile(r -> {
        index(addProfile(r.id()), r);
        accountIds.addAll(r.accountIds());
      });
      store.forEachEvent((id, e) -> {
        Integer row = rowOf.get(id);
        if (row != null) { // else a profile committed since the pass over profiles
          catalog(e);
          for (AggregateIndex x : built) {
            x.load(row, e);
          }
        }
      });
      for (AggregateIndex x : built) {
        x.recomputeAll();
        x.rebuild();
      }
      for (String id : accountIds) {
        store.account(id).ifPresent(this::index);
      }
      profiles.rebuild();
      accounts.rebuild();
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Applies what the messages of one transaction changed, in order, right after the store
   * committed them. With several, every profile an event went to is recomputed from the store:
   * the store holds the transaction's end, which later changes would otherwise count again.
   */
  public Applied apply(List<Changes> committed) {
    lock.writeLock().lock();
    try {
      touch = new Touch();
      boolean one = committed.size() == 1;
      Set<ProfileId> reset = new HashSet<>();
      for (Changes c : committed) {
        reset.addAll(c.rebuilt());
        for (Changes.Move m : c.moves()) {
          reset.add(m.to());
        }
        if (!one) {
          for (Changes.Placement p : c.placements()) {
            reset.add(p.profile());
          }
        }
      }
      for (Changes c : committed) {
        for (ProfileId id : c.retired().keySet()) {
          removeProfile(id);
        }
        for (ProfileId id : c.rebuilt()) {
          if (!c.profiles().containsKey(id)) {
            removeProfile(id);
          }
        }
        for (ProfileRecord r : c.profiles().values()) {
          Integer row = rowOf.get(r.id());
          index(row != null ? row : addProfile(r.id()), r);
        }
        for (AccountRecord a : c.accounts().values()) {
          index(a);
        }
        for (Changes.Placement p : c.placements()) {
          catalog(p.event());
          p.event().name().ifPresent(n -> touch.inputs.add(Inputs.events(n)));
          Integer row = rowOf.get(p.profile());
          if (row != null) {
            touch.rows.add(row);
          }
        }
      }
      for (ProfileId id : reset) {
        Integer row = rowOf.get(id);
        if (row != null) {
          touch.rows.add(row);
          touch.everything = true;
        }
      }
      if (!aggregates.isEmpty()) {
        Map<ProfileId, List<Event>> events = new HashMap<>();
        for (ProfileId id : reset) {
          if (rowOf.containsKey(id)) {
            events.put(id, store.events(id));
          }
        }
        for (AggregateIndex a : aggregates.values()) {
          events.forEach((id, es) -> a.reset(rowOf.get(id), es));
          if (one) {
            for (Changes.Placement p : committed.get(0).placements()) {
              Integer row = rowOf.get(p.profile());
              if (row != null && !reset.contains(p.profile())) {
                a.add(row, p.event());
              }
            }
          }
          a.maintain();
        }
      }
      profiles.maintain();
      accounts.maintain();
      Applied out = new Applied(touch.rows, touch.removed, touch.inputs, touch.everything,
          touch.identities);
      return out;
    } finally {
      touch = null;
      lock.writeLock().unlock();
    }
  }

  /**
   * What {@link #apply} changed, for keeping live segments: the live rows whose profile changed,
   * the rows that went (with the profile each held), and the {@link Inputs} keys that changed;
   * with {@code everything}, a row's every input may have changed (a new or re-derived profile).
   */
  public record Applied(RoaringBitmap rows, Map<Integer, ProfileId> removed, Set<String> inputs,
      boolean everything, RoaringBitmap identities) {}

  /** Per row, a 64-bit hash of its profile's identifiers, to tell when they changed. */
  private long[] identityHash = new long[16];

  /** What the current {@link #apply} changed so far; null outside it. */
  private Touch touch;

  private static final class Touch {
    final RoaringBitmap rows = new RoaringBitmap();
    final Map<Integer, ProfileId> removed = new HashMap<>();
    final Set<String> inputs = new HashSet<>();
    boolean everything;
    final RoaringBitmap identities = new RoaringBitmap();
  }

  private int addProfile(ProfileId id) {
    int row = profiles.add();
    if (row >= idOf.length) {
      idOf = Arrays.copyOf(idOf, Math.max(row + 1, idOf.length * 2));
    }
    idOf[row] = id;
    rowOf.put(id, row);
    if (touch != null) {
      touch.rows.add(row);
      touch.everything = true;
    }
    return row;
  }

  private void removeProfile(ProfileId id) {
    Integer row = rowOf.remove(id);
    if (row == null) {
      return;
    }
    idOf[row] = null;
    if (touch != null) {
      touch.removed.put(row, id);
      touch.rows.remove(row);
    }
    profiles.remove(row);
    if (row < identityHash.length) {
      identityHash[row] = 0;
    }
    identifierTypes.set(row, Set.of());
    consents.set(row, Set.of());
    memberships.set(row, Set.of());
    for (AggregateIndex a : aggregates.values()) {
      a.remove(row);
    }
  }

  private void index(int row, ProfileRecord r) {
    Profile p = r.toProfile();
    Touch t = touch;
    profiles.setTraits(row, p.traits(), t == null ? path -> { } : path -> {
      t.inputs.add(Inputs.trait(path));
    });
    Set<String> types = new HashSet<>();
    for (Identifier i : r.identifiers()) {
      types.add(i.type());
    }
    boolean typesChanged = identifierTypes.set(row, types);
    Set<String> granted = new HashSet<>();
    p.consents().forEach((purpose, yes) -> {
      if (yes) {
        granted.add(purpose);
      }
    });
    boolean consentsChanged = consents.set(row, granted);
    boolean accountsChanged = memberships.set(row, r.accountIds());
    long identity = identityHash(r.identifiers());
    if (row >= identityHash.length) {
      identityHash = Arrays.copyOf(identityHash, Math.max(row + 1, identityHash.length * 2));
    }
    if (identityHash[row] != identity) {
      identityHash[row] = identity;
      if (t != null) {
        t.identities.add(row);
      }
    }
    if (t != null) {
      t.rows.add(row);
      if (typesChanged) {
        t.inputs.add(Inputs.IDENTIFIER_TYPES);
      }
      if (consentsChanged) {
        t.inputs.add(Inputs.CONSENTS);
      }
      if (accountsChanged) {
        t.inputs.add(Inputs.ACCOUNTS);
      }
    }
  }

  /** A hash of a set of identifiers that does not depend on their order; never 0. */
  private static long identityHash(Set<Identifier> identifiers) {
    long h = 0x9E3779B97F4A7C15L;
    for (Identifier i : identifiers) {
      long x = (i.type().hashCode() * 31L + i.value().hashCode()) * 0xBF58476D1CE4E5B9L;
      x ^= x >>> 31;
      x *= 0x94D049BB133111EBL;
      h += x ^ (x >>> 29); // a sum of well-mixed terms: order does not matter
    }
    return h == 0 ? 1 : h;
  }

  private void index(AccountRecord a) {
    Integer row = accountRowOf.get(a.id());
    if (row == null) {
      row = accounts.add();
      if (row >= accountIdOf.length) {
        accountIdOf = Arrays.copyOf(accountIdOf, Math.max(row + 1, accountIdOf.length * 2));
      }
      accountIdOf[row] = a.id();
      accountRowOf.put(a.id(), row);
    }
    boolean[] changed = {false};
    accounts.setTraits(row, a.toAccount().traits(), path -> changed[0] = true);
    if (touch != null && changed[0]) {
      touch.inputs.add(Inputs.ACCOUNTS);
      touch.rows.or(memberships.rows(a.id()));
    }
  }

  private void catalog(Event e) {
    if (e.name().isEmpty() || e.properties().isEmpty() || (e.type() != EventType.TRACK
        && e.type() != EventType.PAGE && e.type() != EventType.SCREEN)) {
      return;
    }
    catalog(propertyKinds.computeIfAbsent(e.name().get(), k -> new HashMap<>()), e.properties(),
        "");
  }

  private static void catalog(Map<String, Integer> kinds, Map<String, ?> values, String prefix) {
    for (Map.Entry<String, ?> e : values.entrySet()) {
      Object v = e.getValue();
      if (v == null) {
        continue;
      }
      String path = prefix.isEmpty() ? e.getKey() : prefix + e.getKey();
      int kind = v instanceof Number ? NUMBER : OTHER;
      Integer seen = kinds.get(path);
      if (seen == null || (seen & kind) == 0) {
        kinds.put(path, seen == null ? kind : seen | kind);
      }
      if (v instanceof Map) {
        @SuppressWarnings("unchecked")
        Map<String, ?> nested = (Map<String, ?>) v;
        catalog(kinds, nested, path + ".");
      }
    }
  }

  /**
   * Why an aggregate cannot be defined: its property was seen on its events, never as a number.
   * Empty when it can (also when no such event was seen yet).
   */
  public Optional<String> nonNumericProperty(Aggregate a) {
    if (a.property().isEmpty()) {
      return Optional.empty();
    }
    lock.readLock().lock();
    try {
      Integer kinds = propertyKinds.getOrDefault(a.event(), Map.of()).get(a.property().get().text());
      return kinds != null && (kinds & NUMBER) == 0
          ? Optional.of("property '" + a.property().get().text() + "' of '" + a.event()
              + "' events is never a number") : Optional.empty();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The profile at a row, or empty when the row is no longer live. */
  public Optional<ProfileId> profileAt(int row) {
    lock.readLock().lock();
    try {
      return row >= 0 && row < idOf.length ? Optional.ofNullable(idOf[row]) : Optional.empty();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The row of a live profile. */
  public Optional<Integer> rowOf(ProfileId id) {
    lock.readLock().lock();
    try {
      return Optional.ofNullable(rowOf.get(id));
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The rows of every live profile that satisfies {@code e} at {@code now} (epoch millis). */
  public RoaringBitmap members(SegmentExpr e, long now, Function<String, SegmentExpr> segments) {
    return read(e, now, segments, ev -> ev.eval(e, null));
  }

  /** The rows of {@code context} that satisfy {@code e} at {@code now}. */
  public RoaringBitmap members(SegmentExpr e, long now, Function<String, SegmentExpr> segments,
      RoaringBitmap context) {
    return read(e, now, segments, ev -> RoaringBitmap.and(ev.eval(e, context), context));
  }

  /**
   * The live rows whose answer to {@code exprs} the passing of time may have changed since
   * {@code from}, with the aggregates brought to {@code to}: those whose windowed aggregate
   * changed (by time or otherwise) since the last call, and those whose timestamp trait crossed
   * a {@code within} boundary between the two instants (either way round).
   */
  public RoaringBitmap changedByTime(Collection<SegmentExpr> exprs, long from, long to,
      Function<String, SegmentExpr> segments) {
    List<AggregateIndex> used = new ArrayList<>();
    for (SegmentExpr e : exprs) {
      used.addAll(prepare(e, to, segments));
    }
    lock.writeLock().lock();
    try {
      RoaringBitmap out = new RoaringBitmap();
      for (AggregateIndex a : used) {
        if (a.needsAdvance(to)) {
          a.advanceTo(to);
        }
        out.or(a.drainChanged());
      }
      long lo = Math.min(from, to);
      long hi = Math.max(from, to);
      for (SegmentExpr.Within w : withins(exprs, segments)) {
        long span = w.span().toDuration().toMillis();
        out.or(timeRows(w.path().text(), lo - span, hi - span));
        out.or(timeRows(w.path().text(), lo, hi));
      }
      out.and(profiles.live());
      return out;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** The profile rows whose timestamp under {@code path} is in {@code (after, upTo]}. */
  private RoaringBitmap timeRows(String path, long after, long upTo) {
    if (path.startsWith("account.")) {
      TraitColumn c = accounts.column(path.substring("account.".length()));
      RoaringBitmap out = new RoaringBitmap();
      if (c != null) {
        c.timesIn(after, upTo).forEach((int row) -> out.or(memberships.rows(accountIdOf[row])));
      }
      return out;
    }
    TraitColumn c = profiles.column(path);
    return c == null ? new RoaringBitmap() : c.timesIn(after, upTo);
  }

  /**
   * The next instant after {@code now} at which the passing of time may change an answer to
   * {@code exprs} for some profile; empty when it never will. Call after
   * {@link #changedByTime} brought the aggregates to {@code now}.
   */
  public OptionalLong nextChange(Collection<SegmentExpr> exprs, long now,
      Function<String, SegmentExpr> segments) {
    List<AggregateIndex> used = new ArrayList<>();
    for (SegmentExpr e : exprs) {
      used.addAll(prepare(e, now, segments));
    }
    lock.readLock().lock();
    try {
      long best = Long.MAX_VALUE;
      for (AggregateIndex a : used) {
        Long next = a.nextChange(now);
        if (next != null) {
          best = Math.min(best, next);
        }
      }
      for (SegmentExpr.Within w : withins(exprs, segments)) {
        long span = w.span().toDuration().toMillis();
        String path = w.path().text();
        TraitColumn c = path.startsWith("account.")
            ? accounts.column(path.substring("account.".length())) : profiles.column(path);
        if (c == null) {
          continue;
        }
        Long leaves = c.nextTimeAbove(now - span); // leaves the window at t + span
        if (leaves != null) {
          best = Math.min(best, leaves + span);
        }
        Long enters = c.nextTimeAbove(now); // a future timestamp enters at t
        if (enters != null) {
          best = Math.min(best, enters);
        }
      }
      return best == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(best);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Every {@code within} on a timestamp in {@code exprs} and the segments they name. */
  private static Set<SegmentExpr.Within> withins(Collection<SegmentExpr> exprs,
      Function<String, SegmentExpr> segments) {
    Set<SegmentExpr.Within> out = new LinkedHashSet<>();
    Set<String> seen = new HashSet<>();
    java.util.ArrayDeque<SegmentExpr> todo = new java.util.ArrayDeque<>(exprs);
    while (!todo.isEmpty()) {
      SegmentExpr e = todo.pop();
      if (e instanceof SegmentExpr.Within) {
        out.add((SegmentExpr.Within) e);
      } else if (e instanceof InSegment) {
        if (seen.add(((InSegment) e).name())) {
          todo.push(segments.apply(((InSegment) e).name()));
        }
      } else {
        Expressions.children(e).forEach(todo::push);
      }
    }
    return out;
  }

  /** How many live profiles satisfy {@code e} at {@code now}. */
  public long count(SegmentExpr e, long now, Function<String, SegmentExpr> segments) {
    return read(e, now, segments, ev -> ev.count(e));
  }

  /**
   * For each top-level term of {@code e} (the terms of an {@code and} or {@code or}, else
   * {@code e} itself), in written order: how many profiles it keeps alone, and how many the
   * terms up to it keep together.
   */
  public List<ClauseCount> clauseCounts(SegmentExpr e, long now,
      Function<String, SegmentExpr> segments) {
    return read(e, now, segments, ev -> {
      List<SegmentExpr> terms = e instanceof And ? ((And) e).terms()
          : e instanceof Or ? ((Or) e).terms() : List.of(e);
      List<ClauseCount> out = new ArrayList<>();
      RoaringBitmap acc = null;
      for (SegmentExpr t : terms) {
        RoaringBitmap alone = ev.eval(t, null);
        acc = acc == null ? alone : e instanceof Or ? RoaringBitmap.or(acc, alone)
            : RoaringBitmap.and(acc, alone);
        out.add(new ClauseCount(t.render(), alone.getLongCardinality(), acc.getLongCardinality()));
      }
      return out;
    });
  }

  private <T> T read(SegmentExpr e, long now, Function<String, SegmentExpr> segments,
      Function<Evaluation, T> body) {
    List<AggregateIndex> used = prepare(e, now, segments);
    lock.readLock().lock();
    try {
      boolean stale = false;
      for (AggregateIndex a : used) {
        stale |= a.needsAdvance(now);
      }
      if (stale) {
        lock.readLock().unlock();
        lock.writeLock().lock();
        try {
          for (AggregateIndex a : used) {
            if (a.needsAdvance(now)) {
              a.advanceTo(now);
            }
          }
        } finally {
          lock.readLock().lock(); // downgrade: the changes stay visible to this reader only
          lock.writeLock().unlock();
        }
      }
      return body.apply(new Evaluation(now, segments));
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Makes the indexes of the aggregates {@code e} uses now, so that they are kept current from
   * here on (a defined segment's first evaluation then costs no scan of the events).
   */
  public void track(SegmentExpr e, long now, Function<String, SegmentExpr> segments) {
    prepare(e, now, segments);
  }

  /** The aggregate indexes {@code e} (and the segments it names) uses, made when missing. */
  private List<AggregateIndex> prepare(SegmentExpr e, long now,
      Function<String, SegmentExpr> segments) {
    Set<Aggregate> wanted = new LinkedHashSet<>();
    collect(e, segments, wanted, new HashSet<>());
    List<AggregateIndex> out = new ArrayList<>();
    List<Aggregate> missing = new ArrayList<>();
    lock.readLock().lock();
    try {
      for (Aggregate a : wanted) {
        AggregateIndex x = aggregates.get(a);
        if (x == null) {
          missing.add(a);
        } else {
          out.add(x);
        }
      }
    } finally {
      lock.readLock().unlock();
    }
    if (!missing.isEmpty()) {
      lock.writeLock().lock();
      try {
        for (Aggregate a : missing) {
          out.add(aggregates.computeIfAbsent(a, k -> build(k, now)));
        }
      } finally {
        lock.writeLock().unlock();
      }
    }
    return out;
  }

  private static void collect(SegmentExpr e, Function<String, SegmentExpr> segments,
      Set<Aggregate> out, Set<String> seen) {
    Expressions.forEachAggregate(e, out::add);
    Expressions.forEachReference(e, name -> {
      if (seen.add(name)) {
        collect(segments.apply(name), segments, out, seen);
      }
    });
  }

  /** A new aggregate over every live profile's events, read from the store in one pass. */
  private AggregateIndex build(Aggregate a, long now) {
    AggregateIndex x = new AggregateIndex(a, now);
    store.forEachEvent((id, e) -> {
      Integer row = rowOf.get(id);
      if (row != null) {
        x.load(row, e);
      }
    });
    x.recomputeAll();
    x.rebuild();
    return x;
  }

  // ---- snapshots ----

  private static final int SNAPSHOT_FORMAT = 1;
  private static final int SNAPSHOT_PART_BYTES = 8 << 20;

  /**
   * The engine's state as parts that {@link #restore} reads back: the live profiles (renumbered
   * in row order) with their indexed trait values, identifier types, consents and accounts; the
   * accounts' traits; the event properties seen; every aggregate's accepted events (times and
   * values; a {@code where} cannot depend on the instant). No part is much larger than 8 MB.
   */
  public List<byte[]> snapshot() {
    lock.readLock().lock();
    try {
      List<byte[]> parts = new ArrayList<>();
      Out out = new Out(1 << 16);
      Map<String, Integer> names = new HashMap<>();
      List<Object> pairs = new ArrayList<>();
      out.varlong(SNAPSHOT_FORMAT);
      RoaringBitmap live = profiles.live();
      out.varlong(live.getCardinality());
      int[] renumbered = new int[profiles.rows()];
      int next = 0;
      for (int row : live) {
        renumbered[row] = next++;
        out.string(idOf[row].value());
        writeValues(out, names, profiles, row, pairs);
        writeNames(out, names, identifierTypes.names(row));
        writeNames(out, names, consents.names(row));
        writeNames(out, names, memberships.names(row));
        cut(out, parts, false);
      }
      out.varlong(accounts.live().getCardinality());
      for (int row : accounts.live()) {
        out.string(accountIdOf[row]);
        writeValues(out, names, accounts, row, pairs);
        cut(out, parts, false);
      }
      out.varlong(propertyKinds.size());
      propertyKinds.forEach((event, kinds) -> {
        out.string(event);
        out.varlong(kinds.size());
        kinds.forEach((path, kind) -> {
          out.string(path);
          out.varlong(kind);
        });
      });
      out.varlong(aggregates.size());
      for (AggregateIndex a : aggregates.values()) {
        out.string(new AggregateCompare(a.spec(), SegmentExpr.Op.GE, 0L).render());
        a.forEachRow((row, n, times, values) -> {
          if (!live.contains(row)) {
            return;
          }
          out.varlong(renumbered[row] + 1L);
          out.varlong(n);
          long previous = 0;
          for (int i = 0; i < n; i++) {
            out.varlong(times[i] - previous);
            previous = times[i];
            if (values != null) {
              out.value(values[i]);
            }
          }
          cut(out, parts, false);
        });
        out.varlong(0);
      }
      cut(out, parts, true);
      return parts;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Ends a part once it is full enough, or with {@code last}. */
  private static void cut(Out out, List<byte[]> parts, boolean last) {
    if (out.size() >= SNAPSHOT_PART_BYTES || (last && out.size() > 0)) {
      parts.add(out.toByteArray());
      out.reset();
    }
  }

  /** A name (a trait path, an identifier type, ...) as its number, given once in full. */
  private static void writeName(Out out, Map<String, Integer> names, String name) {
    Integer id = names.get(name);
    if (id != null) {
      out.varlong(id + 1L);
    } else {
      names.put(name, names.size());
      out.varlong(0);
      out.string(name);
    }
  }

  private static String readName(In in, List<String> names) {
    long id = in.varlong();
    if (id == 0) {
      String name = in.string();
      names.add(name);
      return name;
    }
    if (id < 0 || id > names.size()) {
      throw new IllegalArgumentException("corrupt snapshot: name " + id);
    }
    return names.get((int) (id - 1));
  }

  private static void writeNames(Out out, Map<String, Integer> names, String[] values) {
    out.varlong(values.length);
    for (String v : values) {
      writeName(out, names, v);
    }
  }

  private static Set<String> readNames(In in, List<String> names) {
    int n = (int) in.varlong();
    String[] out = new String[n];
    for (int i = 0; i < n; i++) {
      out[i] = readName(in, names);
    }
    return Set.of(out);
  }

  private static void writeValues(Out out, Map<String, Integer> names, Table table, int row,
      List<Object> pairs) {
    pairs.clear();
    table.forEachValue(row, (path, v) -> {
      pairs.add(path);
      pairs.add(v);
    });
    out.varlong(pairs.size() / 2);
    for (int i = 0; i < pairs.size(); i += 2) {
      writeName(out, names, (String) pairs.get(i));
      Object v = pairs.get(i + 1);
      out.value(v == TraitColumn.OTHER ? null : v);
    }
  }

  private static void readValues(In in, List<String> names, Table table, int row) {
    long n = in.varlong();
    for (long i = 0; i < n; i++) {
      String path = readName(in, names);
      Object v = in.value();
      table.setTrait(row, path, v == null ? TraitColumn.OTHER : v);
    }
  }

  /**
   * Fills this empty engine from a {@link #snapshot} of an engine over the same store contents,
   * with the aggregates the {@code defined} segments use at {@code now}: those the snapshot holds
   * from it, any other from one pass over the store's events. Returns false, changing nothing,
   * for a snapshot of a format this version does not know; throws IllegalArgumentException for a
   * corrupt one (the engine must then be discarded).
   */
  public boolean restore(List<byte[]> parts, Collection<SegmentExpr> defined, long now,
      Function<String, SegmentExpr> segments) {
    In in = new In(parts);
    if (in.atEnd() || in.varlong() != SNAPSHOT_FORMAT) {
      return false;
    }
    Set<Aggregate> wanted = new LinkedHashSet<>();
    for (SegmentExpr e : defined) {
      collect(e, segments, wanted, new HashSet<>());
    }
    lock.writeLock().lock();
    try {
      if (!rowOf.isEmpty() || !aggregates.isEmpty()) {
        throw new IllegalStateException("restore fills an empty engine");
      }
      List<String> names = new ArrayList<>();
      long profileCount = in.varlong();
      for (long i = 0; i < profileCount; i++) {
        int row = addProfile(ProfileId.of(in.string()));
        readValues(in, names, profiles, row);
        identifierTypes.set(row, readNames(in, names));
        consents.set(row, readNames(in, names));
        memberships.set(row, readNames(in, names));
      }
      long accountCount = in.varlong();
      for (long i = 0; i < accountCount; i++) {
        String id = in.string();
        int row = accounts.add();
        if (row >= accountIdOf.length) {
          accountIdOf = Arrays.copyOf(accountIdOf, Math.max(row + 1, accountIdOf.length * 2));
        }
        accountIdOf[row] = id;
        accountRowOf.put(id, row);
        readValues(in, names, accounts, row);
      }
      long events = in.varlong();
      for (long i = 0; i < events; i++) {
        Map<String, Integer> kinds = propertyKinds.computeIfAbsent(in.string(),
            k -> new HashMap<>());
        long n = in.varlong();
        for (long j = 0; j < n; j++) {
          kinds.put(in.string(), (int) in.varlong());
        }
      }
      long kept = in.varlong();
      for (long i = 0; i < kept; i++) {
        Aggregate a = ((AggregateCompare) SegmentExpr.parse(in.string())).aggregate();
        AggregateIndex x = wanted.contains(a) ? new AggregateIndex(a, now) : null;
        for (long row = in.varlong() - 1; row >= 0; row = in.varlong() - 1) {
          int n = (int) in.varlong();
          long[] times = new long[n];
          Number[] values = a.fn() == SegmentExpr.Fn.COUNT ? null : new Number[n];
          long t = 0;
          for (int k = 0; k < n; k++) {
            t += in.varlong();
            times[k] = t;
            if (values != null) {
              values[k] = (Number) in.value();
            }
          }
          if (x != null) {
            x.restore((int) row, times, values);
          }
        }
        if (x != null) {
          aggregates.put(a, x);
        }
      }
      if (!in.atEnd()) {
        throw new IllegalArgumentException("corrupt snapshot: bytes after the end");
      }
      List<AggregateIndex> missing = new ArrayList<>();
      for (Aggregate a : wanted) {
        if (!aggregates.containsKey(a)) {
          AggregateIndex x = new AggregateIndex(a, now);
          aggregates.put(a, x);
          missing.add(x);
        }
      }
      if (!missing.isEmpty()) {
        store.forEachEvent((id, e) -> {
          Integer row = rowOf.get(id);
          if (row != null) {
            for (AggregateIndex x : missing) {
              x.load(row, e);
            }
          }
        });
      }
      for (AggregateIndex x : aggregates.values()) {
        x.recomputeAll();
        x.rebuild();
      }
      profiles.rebuild();
      accounts.rebuild();
      return true;
    } finally {
      lock.writeLock().unlock();
    }
  }

  // ---- bulk loading, for benchmarks and tools that fill an engine without a store ----

  /** Adds a profile row with no traits; returns its row. Bulk loading only. */
  public int bulkAddProfile(ProfileId id) {
    lock.writeLock().lock();
    try {
      return addProfile(id);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Sets one trait of a row. Bulk loading only. */
  public void bulkSetTrait(int row, String path, Object value) {
    lock.writeLock().lock();
    try {
      profiles.setTrait(row, path, value);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Makes (or finds) the index of an aggregate, at {@code now}, over the rows' events so far. */
  public void bulkAggregate(Aggregate a, long now) {
    lock.writeLock().lock();
    try {
      aggregates.computeIfAbsent(a, k -> new AggregateIndex(k, now));
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Adds one event of a row to every aggregate, as ingestion does. */
  public void bulkAddEvent(int row, Event e) {
    lock.writeLock().lock();
    try {
      catalog(e);
      for (AggregateIndex a : aggregates.values()) {
        a.add(row, e);
        a.maintain();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Rebuilds every index's base, so that no delta is left to check. */
  public void rebuildIndexes() {
    lock.writeLock().lock();
    try {
      profiles.rebuild();
      accounts.rebuild();
      aggregates.values().forEach(AggregateIndex::rebuild);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Bytes held by the indexes (bitmaps and rank dictionaries), not the column values. */
  public long indexBytes() {
    lock.readLock().lock();
    try {
      long bytes = profiles.indexBytes() + accounts.indexBytes() + identifierTypes.indexBytes()
          + consents.indexBytes() + memberships.indexBytes();
      for (AggregateIndex a : aggregates.values()) {
        bytes += a.indexBytes();
      }
      return bytes;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** One evaluation at one instant, under the read lock; memoizes the segments it names. */
  private final class Evaluation {
    private final long now;
    private final Function<String, SegmentExpr> segments;
    private final Map<String, RoaringBitmap> memo = new HashMap<>();

    Evaluation(long now, Function<String, SegmentExpr> segments) {
      this.now = now;
      this.segments = segments;
    }

    private RoaringBitmap live() {
      return profiles.live();
    }

    /** The rows satisfying {@code e}, within {@code context} when it is not null. */
    RoaringBitmap eval(SegmentExpr e, RoaringBitmap context) {
      if (e instanceof And) {
        RoaringBitmap acc = context;
        for (SegmentExpr t : planned(((And) e).terms())) {
          acc = eval(t, acc);
          if (acc.isEmpty()) {
            break;
          }
        }
        return acc;
      }
      if (e instanceof Or) {
        List<RoaringBitmap> parts = new ArrayList<>();
        for (SegmentExpr t : ((Or) e).terms()) {
          parts.add(eval(t, context));
        }
        return FastAggregation.or(parts.iterator());
      }
      if (e instanceof Not) {
        RoaringBitmap inner = eval(((Not) e).expr(), context);
        return RoaringBitmap.andNot(context != null ? context : live(), inner);
      }
      if (e instanceof InSegment) {
        String name = ((InSegment) e).name();
        RoaringBitmap all = memo.get(name);
        if (all == null && context != null && context.getCardinality() <= SMALL_CONTEXT) {
          return eval(segments.apply(name), context); // a few rows: cheaper than all of it
        }
        if (all == null) {
          all = eval(segments.apply(name), null);
          memo.put(name, all);
        }
        return within(all, context);
      }
      if (e instanceof Has) {
        return within(identifierTypes.rows(((Has) e).type()), context);
      }
      if (e instanceof Consented) {
        return within(consents.rows(((Consented) e).purpose()), context);
      }
      if (e instanceof AggregateCompare) {
        AggregateCompare a = (AggregateCompare) e;
        return aggregates.get(a.aggregate()).select(a.op(), a.value(), live(), context);
      }
      Path path = Expressions.path(e);
      if (path.text().startsWith("account.")) {
        return accountLeaf(e, path.text().substring("account.".length()), context);
      }
      TraitColumn column = profiles.column(path.text());
      if (column == null) {
        return e instanceof IsNull && !((IsNull) e).negated() ? within(live(), context)
            : new RoaringBitmap();
      }
      return column.select(e, live(), context, now);
    }

    private RoaringBitmap accountLeaf(SegmentExpr e, String path, RoaringBitmap context) {
      TraitColumn column = accounts.column(path);
      RoaringBitmap matching;
      if (column == null) {
        matching = e instanceof IsNull && !((IsNull) e).negated() ? accounts.live().clone()
            : new RoaringBitmap();
      } else {
        matching = column.select(e, accounts.live(), null, now);
      }
      List<RoaringBitmap> members = new ArrayList<>();
      matching.forEach((int row) -> members.add(memberships.rows(accountIdOf[row])));
      return within(FastAggregation.or(members.iterator()), context);
    }

    /** How many rows satisfy {@code e}; the last term of an {@code and} only counts. */
    long count(SegmentExpr e) {
      if (!(e instanceof And)) {
        return eval(e, null).getLongCardinality();
      }
      List<SegmentExpr> terms = planned(((And) e).terms());
      RoaringBitmap acc = null;
      for (int i = 0; i < terms.size() - 1; i++) {
        acc = eval(terms.get(i), acc);
        if (acc.isEmpty()) {
          return 0;
        }
      }
      SegmentExpr last = terms.get(terms.size() - 1);
      if (last instanceof AggregateCompare) {
        AggregateCompare a = (AggregateCompare) last;
        return aggregates.get(a.aggregate()).count(a.op(), a.value(), live(), acc);
      }
      return eval(last, acc).getLongCardinality();
    }

    /** The terms of an {@code and}, the fewest rows first by the indexes' estimates. */
    private List<SegmentExpr> planned(List<SegmentExpr> terms) {
      long[] estimates = new long[terms.size()];
      Integer[] order = new Integer[terms.size()];
      for (int i = 0; i < terms.size(); i++) {
        estimates[i] = estimate(terms.get(i));
        order[i] = i;
      }
      Arrays.sort(order, Comparator.comparingLong(i -> estimates[i]));
      List<SegmentExpr> out = new ArrayList<>(terms.size());
      for (int i : order) {
        out.add(terms.get(i));
      }
      return out;
    }

    private long estimate(SegmentExpr e) {
      long all = live().getLongCardinality();
      if (e instanceof And) {
        long min = all;
        for (SegmentExpr t : ((And) e).terms()) {
          min = Math.min(min, estimate(t));
        }
        return min;
      }
      if (e instanceof Or) {
        long sum = 0;
        for (SegmentExpr t : ((Or) e).terms()) {
          sum += estimate(t);
        }
        return Math.min(all, sum);
      }
      if (e instanceof Not) {
        return Math.max(0, all - estimate(((Not) e).expr()));
      }
      if (e instanceof InSegment) {
        RoaringBitmap known = memo.get(((InSegment) e).name());
        return known != null ? known.getLongCardinality() : all;
      }
      if (e instanceof Has) {
        return identifierTypes.rows(((Has) e).type()).getLongCardinality();
      }
      if (e instanceof Consented) {
        return consents.rows(((Consented) e).purpose()).getLongCardinality();
      }
      if (e instanceof AggregateCompare) {
        AggregateCompare a = (AggregateCompare) e;
        return aggregates.get(a.aggregate()).estimate(a.op(), a.value(), live());
      }
      Path path = Expressions.path(e);
      if (path.text().startsWith("account.")) {
        return all; // a union over accounts: cheapest late, within what the rest left
      }
      TraitColumn column = profiles.column(path.text());
      return column == null ? 0 : column.estimate(e, now);
    }

    private RoaringBitmap within(RoaringBitmap rows, RoaringBitmap context) {
      return context == null ? rows.clone() : RoaringBitmap.and(rows, context);
    }
  }
}
