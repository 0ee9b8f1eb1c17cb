package dev.cdpkit.internal.activation;

import dev.cdpkit.Audience;
import dev.cdpkit.FrequencyCap;
import dev.cdpkit.Profile;
import dev.cdpkit.ProfileId;
import dev.cdpkit.SyncReport;
import dev.cdpkit.destination.AudienceMember;
import dev.cdpkit.destination.AudienceSync;
import dev.cdpkit.destination.DeliveryReport;
import dev.cdpkit.destination.PiiHash;
import dev.cdpkit.internal.index.SegmentIndex;
import dev.cdpkit.segment.SegmentExpr;
import dev.cdpkit.segment.SegmentExpr.Aggregate;
import dev.cdpkit.segment.SegmentExpr.AggregateCompare;
import dev.cdpkit.segment.SegmentExpr.And;
import dev.cdpkit.segment.SegmentExpr.Consented;
import dev.cdpkit.segment.SegmentExpr.Fn;
import dev.cdpkit.segment.SegmentExpr.InSegment;
import dev.cdpkit.segment.SegmentExpr.Not;
import dev.cdpkit.segment.SegmentExpr.Op;
import dev.cdpkit.segment.SegmentExpr.Span;
import dev.cdpkit.store.ProfileRecord;
import dev.cdpkit.store.ProfileStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.roaringbitmap.RoaringBitmap;

/**
 * Audiences and their syncs: which profiles each destination should hold (the segment's members
 * with the destination's consent, not capped on its channel, not taken by a higher-priority
 * audience on it), what it holds (the store keeps it, by profile id, with what each was sent),
 * and each sync as the bitmap difference of the two.
 *
 * <p>Thread-safe: one sync per audience at a time; the destination is called without any lock
 * that ingestion needs.
 */
public final class Activation {
  private final ProfileStore store;
  private final SegmentIndex index;
  private final Function<String, SegmentExpr> segments;
  private final LongSupplier clock;
  private final Map<String, FrequencyCap> caps;
  private final ExecutorService deliveries;
  /** Guards {@link #states} and {@link #departed}; never held while a destination runs. */
  private final Object lock = new Object();
  private final Map<String, State> states = new LinkedHashMap<>();
  /** Rows gone from the index (merged, forgotten) that a destination may hold: their ids. */
  private final Map<Integer, ProfileId> departed = new HashMap<>();

  private static final class State {
    final Audience audience;
    /** Rows the destination holds. */
    final RoaringBitmap synced = new RoaringBitmap();
    /** Rows being added by a sync in flight. */
    final RoaringBitmap pending = new RoaringBitmap();
    /** Rows whose profile's identifiers changed since the last sync. */
    final RoaringBitmap dirty = new RoaringBitmap();
    /** Profiles the destination holds that have no row (gone while no Cdp ran). */
    final Set<ProfileId> orphans = new HashSet<>();
    boolean everSynced;
    final ReentrantLock syncing = new ReentrantLock();

    State(Audience audience) {
      this.audience = audience;
    }
  }

  /** Activation over the index and store; {@code caps} by channel. */
  public Activation(ProfileStore store, SegmentIndex index,
      Function<String, SegmentExpr> segments, LongSupplier clock, List<FrequencyCap> caps,
      ExecutorService deliveries) {
    this.store = store;
    this.index = index;
    this.segments = segments;
    this.clock = clock;
    Map<String, FrequencyCap> byChannel = new HashMap<>();
    for (FrequencyCap c : caps) {
      if (byChannel.put(c.channel(), c) != null) {
        throw new IllegalArgumentException("two frequency caps for channel '" + c.channel()
            + "': give each channel one");
      }
    }
    this.caps = Map.copyOf(byChannel);
    this.deliveries = deliveries;
  }

  /** The frequency cap of a channel, if it has one. */
  public Optional<FrequencyCap> cap(String channel) {
    return Optional.ofNullable(caps.get(channel));
  }

  /**
   * Registers an audience, with what the store says its destination holds.
   *
   * @throws IllegalArgumentException if the name is taken or the segment is not defined
   */
  public void add(Audience a) {
    if (segments.apply(a.segment()) == null) {
      throw new IllegalArgumentException("audience '" + a.name() + "' names segment '"
          + a.segment() + "', which is not defined: define it first");
    }
    State s = new State(a);
    store.forEachAudienceMember(a.name(), (id, sent) -> {
      s.everSynced = true;
      Optional<Integer> row = index.rowOf(id);
      if (row.isPresent()) {
        s.synced.add(row.get());
      } else {
        s.orphans.add(id);
      }
    });
    synchronized (lock) {
      if (states.containsKey(a.name())) {
        throw new IllegalArgumentException("an audience named '" + a.name() + "' is already"
            + " added");
      }
      states.put(a.name(), s);
    }
    cap(a.destination().channel()).ifPresent(c -> index.track(capped(c), clock.getAsLong(),
        segments));
  }

  /** The audiences' names, in the order they were added. */
  public List<String> names() {
    synchronized (lock) {
      return List.copyOf(states.keySet());
    }
  }

  /** After a commit reached the indexes: remembers the ids of rows a destination may hold. */
  public void applied(SegmentIndex.Applied applied) {
    synchronized (lock) {
      for (State s : states.values()) {
        s.dirty.or(applied.identities());
      }
      applied.removed().forEach((row, id) -> {
        for (State s : states.values()) {
          if (s.synced.contains(row) || s.pending.contains(row)) {
            departed.put(row, id);
          }
        }
      });
    }
  }

  /** The audiences whose destinations hold (or are being sent) the profile at this row. */
  public List<String> holding(int row) {
    List<String> out = new ArrayList<>();
    synchronized (lock) {
      states.forEach((name, s) -> {
        if (s.synced.contains(row) || s.pending.contains(row)) {
          out.add(name);
        }
      });
    }
    return out;
  }

  /** Syncs every audience, each on its own thread: a slow one does not hold up the others. */
  public List<SyncReport> syncAll() {
    List<Future<SyncReport>> running = new ArrayList<>();
    for (String name : names()) {
      running.add(deliveries.submit(() -> sync(name)));
    }
    List<SyncReport> out = new ArrayList<>();
    for (Future<SyncReport> f : running) {
      try {
        out.add(f.get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while syncing", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("a sync failed: " + e.getCause(), e.getCause());
      }
    }
    return out;
  }

  /**
   * Syncs one audience: sends its destination the profiles to add and to remove since the last
   * successful sync (everything the first time), and records what it applied.
   *
   * @throws IllegalArgumentException for an unknown audience
   */
  public SyncReport sync(String name) {
    State s;
    synchronized (lock) {
      s = states.get(name);
    }
    if (s == null) {
      throw new IllegalArgumentException("no audience named '" + name + "'; add it with"
          + " Cdp.addAudience first");
    }
    s.syncing.lock();
    try {
      return syncLocked(s);
    } finally {
      s.syncing.unlock();
    }
  }

  private SyncReport syncLocked(State s) {
    long started = System.nanoTime();
    long now = clock.getAsLong();
    Audience a = s.audience;
    Selection sel = select(a, now);
    RoaringBitmap adds;
    RoaringBitmap removes;
    Map<Integer, ProfileId> removedIds = new HashMap<>();
    Set<ProfileId> orphans;
    boolean full;
    RoaringBitmap changed;
    synchronized (lock) {
      adds = RoaringBitmap.andNot(sel.eligible, s.synced);
      removes = RoaringBitmap.andNot(s.synced, sel.eligible);
      changed = RoaringBitmap.and(RoaringBitmap.and(s.dirty, s.synced), sel.eligible);
      s.dirty.clear();
      removes.forEach((int row) -> {
        ProfileId id = index.profileAt(row).orElse(departed.get(row));
        if (id != null) {
          removedIds.put(row, id);
        }
      });
      orphans = Set.copyOf(s.orphans);
      s.pending.or(adds);
      full = !s.everSynced;
    }
    try {
      List<AudienceMember> added = new ArrayList<>();
      Map<ProfileId, Integer> addedRows = new HashMap<>();
      int[] unreachable = {0};
      adds.forEach((int row) -> {
        Optional<AudienceMember> m = index.profileAt(row).flatMap(store::profile)
            .map(ProfileRecord::toProfile).flatMap(p -> member(a, p));
        if (m.isPresent()) {
          added.add(m.get());
          addedRows.put(m.get().profileId(), row);
        } else {
          unreachable[0]++;
        }
      });
      // members that stay but whose identifiers changed: removed as sent, added as they are
      Map<ProfileId, Integer> changedRows = new HashMap<>();
      changed.forEach((int row) -> index.profileAt(row).ifPresent(id -> changedRows.put(id, row)));
      Map<ProfileId, List<String>> sentBefore = store.audienceMembers(a.name(),
          changedRows.keySet());
      Set<ProfileId> updated = new HashSet<>();
      changedRows.forEach((id, row) -> {
        Optional<AudienceMember> m = store.profile(id).map(ProfileRecord::toProfile)
            .flatMap(p -> member(a, p));
        List<String> before = sentBefore.get(id);
        if (m.isEmpty()) {
          removedIds.put(row, id); // it has nothing left to send it by
        } else if (before == null || !m.get().flatten().equals(before)) {
          updated.add(id);
          added.add(m.get());
          addedRows.put(id, row);
        }
      });
      Set<ProfileId> leaving = new HashSet<>(removedIds.values());
      leaving.addAll(orphans);
      Map<ProfileId, List<String>> sent = new HashMap<>(store.audienceMembers(a.name(),
          leaving));
      for (ProfileId id : updated) {
        sent.put(id, sentBefore.getOrDefault(id, List.of())); // read above already
      }
      leaving.addAll(updated);
      List<AudienceMember> removed = new ArrayList<>();
      for (ProfileId id : leaving) {
        removed.add(AudienceMember.unflatten(id, sent.getOrDefault(id, List.of())));
      }
      AudienceSync sync = new AudienceSync(a.name(), full, added, removed);
      long calling = System.nanoTime();
      DeliveryReport report;
      try {
        report = deliver(a, sync);
      } catch (DeliveryFailed e) {
        synchronized (lock) {
          s.dirty.or(changed);
        }
        return report(a, full, 0, 0, 0, Map.of(), Optional.of(e.getMessage()), s, sel,
            unreachable[0], started, System.nanoTime() - calling);
      }
      long destinationNanos = System.nanoTime() - calling;
      Map<ProfileId, String> failed = report.failed();
      Map<ProfileId, List<String>> nowSent = new HashMap<>();
      for (AudienceMember m : added) {
        if (!failed.containsKey(m.profileId())) {
          nowSent.put(m.profileId(), m.flatten());
        }
      }
      Set<ProfileId> gone = new HashSet<>();
      for (ProfileId id : leaving) {
        if (!failed.containsKey(id)) {
          gone.add(id);
        }
      }
      store.updateAudience(a.name(), nowSent, gone);
      synchronized (lock) {
        s.everSynced = true;
        nowSent.keySet().forEach(id -> s.synced.add(addedRows.get(id)));
        removedIds.forEach((row, id) -> {
          if (gone.contains(id)) {
            s.synced.remove(row);
          }
        });
        for (ProfileId id : updated) {
          if (failed.containsKey(id)) {
            s.dirty.add(addedRows.get(id)); // as it was: try again next time
          }
        }
        s.orphans.removeAll(gone);
        departed.keySet().removeIf(row -> states.values().stream()
            .noneMatch(x -> x.synced.contains(row) || (x != s && x.pending.contains(row))));
      }
      int reallyAdded = (int) nowSent.keySet().stream().filter(id -> !updated.contains(id))
          .count();
      int reallyRemoved = (int) gone.stream().filter(id -> !updated.contains(id)).count();
      int reallyUpdated = (int) updated.stream().filter(id -> !failed.containsKey(id)).count();
      return report(a, full, reallyAdded, reallyRemoved, reallyUpdated, failed, Optional.empty(),
          s, sel, unreachable[0], started, destinationNanos);
    } finally {
      synchronized (lock) {
        s.pending.andNot(adds);
      }
    }
  }

  private SyncReport report(Audience a, boolean full, int added, int removed, int updated,
      Map<ProfileId, String> failed, Optional<String> error, State s, Selection sel,
      int unreachable, long started, long destinationNanos) {
    long members;
    synchronized (lock) {
      members = s.synced.getLongCardinality() + s.orphans.size();
    }
    return new SyncReport(a.name(), full, added, removed, updated, failed, error, members,
        sel.withoutConsent, sel.capped, sel.taken, unreachable,
        Duration.ofNanos(System.nanoTime() - started), Duration.ofNanos(destinationNanos));
  }

  /** Why a delivery failed as a whole. */
  private static final class DeliveryFailed extends Exception {
    DeliveryFailed(String message) {
      super(message);
    }
  }

  private DeliveryReport deliver(Audience a, AudienceSync sync) throws DeliveryFailed {
    Future<DeliveryReport> f = deliveries.submit(() -> a.destination().deliver(sync));
    try {
      DeliveryReport r = f.get(a.timeout().toMillis(), TimeUnit.MILLISECONDS);
      if (r == null) {
        throw new DeliveryFailed("the destination returned no report");
      }
      return r;
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new DeliveryFailed("the destination did not answer within " + a.timeout());
    } catch (ExecutionException e) {
      throw new DeliveryFailed("the destination failed: " + e.getCause());
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new DeliveryFailed("interrupted while waiting for the destination");
    }
  }

  /** Who an audience should hold now, and why the others of its segment are left out. */
  private record Selection(RoaringBitmap eligible, long withoutConsent, long capped,
      long taken) {}

  private Selection select(Audience a, long now) {
    RoaringBitmap members = index.members(new InSegment(a.segment()), now, segments);
    RoaringBitmap consented = RoaringBitmap.and(members,
        index.members(new Consented(a.destination().purpose()), now, segments));
    long withoutConsent = members.getLongCardinality() - consented.getLongCardinality();
    RoaringBitmap free = consented;
    Optional<FrequencyCap> cap = cap(a.destination().channel());
    if (cap.isPresent()) {
      free = RoaringBitmap.andNot(consented, index.members(capped(cap.get()), now, segments));
    }
    long capped = consented.getLongCardinality() - free.getLongCardinality();
    List<Audience> higher = new ArrayList<>();
    synchronized (lock) {
      for (State s : states.values()) {
        Audience b = s.audience;
        if (b != a && b.destination().channel().equals(a.destination().channel())
            && (b.priority() > a.priority()
                || (b.priority() == a.priority() && b.name().compareTo(a.name()) < 0))) {
          higher.add(b);
        }
      }
    }
    RoaringBitmap eligible = free;
    for (Audience b : higher) {
      eligible = RoaringBitmap.andNot(eligible, index.members(new And(List.of(
          new InSegment(b.segment()), new Consented(b.destination().purpose()))), now,
          segments));
    }
    return new Selection(eligible, withoutConsent, capped,
        free.getLongCardinality() - eligible.getLongCardinality());
  }

  /** Whether a profile has reached its channel's cap. */
  private static SegmentExpr capped(FrequencyCap c) {
    long seconds = c.window().toSeconds();
    Span span = seconds % 86_400 == 0 ? new Span(seconds / 86_400, 'd')
        : seconds % 3_600 == 0 ? new Span(seconds / 3_600, 'h')
        : seconds % 60 == 0 ? new Span(seconds / 60, 'm') : new Span(seconds, 's');
    return new AggregateCompare(new Aggregate(Fn.COUNT, c.contactEvent(), Optional.empty(),
        Optional.empty(), Optional.of(span)), Op.GE, (long) c.max());
  }

  /** The profile as the audience sends it; empty when it has none of the identifiers. */
  private static Optional<AudienceMember> member(Audience a, Profile p) {
    Map<String, List<String>> ids = new LinkedHashMap<>();
    for (String type : a.identifiers()) {
      List<String> values = new ArrayList<>(p.identifiers(type));
      values.sort(null);
      if (!values.isEmpty()) {
        ids.put(type, values);
      }
    }
    for (String type : a.hashed()) {
      List<String> values = new ArrayList<>();
      for (String v : p.identifiers(type)) {
        try {
          values.add(PiiHash.hash(type, v));
        } catch (IllegalArgumentException e) {
          // a value the network cannot match (a phone without digits) is not sent
        }
      }
      values.sort(null);
      if (!values.isEmpty()) {
        ids.put(type + "_sha256", values);
      }
    }
    return ids.isEmpty() ? Optional.empty() : Optional.of(new AudienceMember(p.id(), ids));
  }
}
