package dev.cdpkit.internal.live;

import dev.cdpkit.MembershipChange;
import dev.cdpkit.ProfileId;
import dev.cdpkit.Subscription;
import dev.cdpkit.internal.index.Inputs;
import dev.cdpkit.internal.index.SegmentIndex;
import dev.cdpkit.segment.SegmentExpr;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.roaringbitmap.RoaringBitmap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the membership of every defined segment as its listeners were told it, and tells them
 * each change: after a commit, only the segments whose inputs changed are evaluated, and only
 * for the profiles it touched; as time passes, only the rows whose windows or timestamps moved.
 * While nobody listens, nothing is kept.
 *
 * <p>Not thread-safe on its own: the {@code Cdp} calls it under its write lock (listeners run
 * there, on the calling thread).
 */
public final class LiveSegments {
  private static final Logger LOG = LoggerFactory.getLogger(LiveSegments.class);

  private final SegmentIndex index;
  private final Function<String, SegmentExpr> segments;
  private final Supplier<List<String>> names;
  private final List<Consumer<MembershipChange>> listeners = new CopyOnWriteArrayList<>();
  /** Per segment, what the listeners were told; empty while nobody listens. */
  private final Map<String, Tracked> tracked = new LinkedHashMap<>();
  private long lastTick;

  private static final class Tracked {
    final SegmentExpr expr;
    final Set<String> inputs;
    final boolean timed;
    final RoaringBitmap told;

    Tracked(SegmentExpr expr, Set<String> inputs, boolean timed, RoaringBitmap told) {
      this.expr = expr;
      this.inputs = inputs;
      this.timed = timed;
      this.told = told;
    }
  }

  /**
   * Live segments over {@code index}, with the definitions {@code segments} and the defined
   * names {@code names}.
   */
  public LiveSegments(SegmentIndex index, Function<String, SegmentExpr> segments,
      Supplier<List<String>> names, long now) {
    this.index = index;
    this.segments = segments;
    this.names = names;
    this.lastTick = now;
  }

  /**
   * Registers a listener. The first one makes the current members of every segment the starting
   * point: changes are told from there.
   */
  public Subscription subscribe(Consumer<MembershipChange> listener, long now) {
    if (listeners.isEmpty()) {
      tracked.clear();
      for (String name : names.get()) {
        tracked.put(name, track(name, now));
      }
      lastTick = now;
    }
    listeners.add(listener);
    return new Subscription() {
      private volatile boolean closed;

      @Override
      public void close() {
        if (!closed) {
          closed = true;
          listeners.remove(listener);
        }
      }
    };
  }

  /** Whether anyone listens (when not, {@link #tracked} is stale and ignored). */
  private boolean active() {
    return !listeners.isEmpty();
  }

  private Tracked track(String name, long now) {
    SegmentExpr e = segments.apply(name);
    return new Tracked(e, Inputs.of(e, segments), Inputs.dependsOnTime(e, segments),
        index.members(e, now, segments));
  }

  /**
   * After a definition changed: every segment is evaluated afresh (a redefinition changes those
   * that name it too) and the differences told; a new segment's members all enter.
   */
  public void redefined(long now) {
    if (!active()) {
      return;
    }
    List<MembershipChange> out = new ArrayList<>();
    Map<String, Tracked> fresh = new LinkedHashMap<>();
    for (String name : names.get()) {
      Tracked t = track(name, now);
      Tracked before = tracked.get(name);
      diff(name, before == null ? new RoaringBitmap() : before.told, t.told, null, now, out);
      fresh.put(name, t);
    }
    tracked.clear();
    tracked.putAll(fresh);
    tell(out);
  }

  /** After a commit reached the indexes: tells what it changed. */
  public void applied(SegmentIndex.Applied applied, long now) {
    if (!active()) {
      return;
    }
    List<MembershipChange> out = new ArrayList<>();
    for (Map.Entry<String, Tracked> e : tracked.entrySet()) {
      Tracked t = e.getValue();
      for (Map.Entry<Integer, ProfileId> gone : applied.removed().entrySet()) {
        if (t.told.checkedRemove(gone.getKey())) {
          out.add(new MembershipChange(e.getKey(), gone.getValue(), false, instant(now)));
        }
      }
      if (!applied.rows().isEmpty()
          && (applied.everything() || !Collections.disjoint(t.inputs, applied.inputs()))) {
        reevaluate(e.getKey(), t, applied.rows(), now, out);
      }
    }
    tell(out);
  }

  /**
   * Brings the live segments to {@code now}: the rows whose windows or timestamps moved since the
   * last tick are evaluated again, and the changes told. Returns the next instant at which the
   * passing of time may change a segment (whether or not anyone listens).
   */
  public OptionalLong tick(long now) {
    List<SegmentExpr> timed = timed();
    RoaringBitmap rows = index.changedByTime(timed, lastTick, now, segments);
    lastTick = now;
    if (active() && !rows.isEmpty()) {
      List<MembershipChange> out = new ArrayList<>();
      for (Map.Entry<String, Tracked> e : tracked.entrySet()) {
        if (e.getValue().timed) {
          reevaluate(e.getKey(), e.getValue(), rows, now, out);
        }
      }
      tell(out);
    }
    return index.nextChange(timed, now, segments);
  }

  /**
   * The next instant after {@code now} at which the passing of time may change a defined
   * segment, without ticking.
   */
  public OptionalLong nextChange(long now) {
    return index.nextChange(timed(), now, segments);
  }

  /** The defined segments that the passing of time can change. */
  private List<SegmentExpr> timed() {
    List<SegmentExpr> out = new ArrayList<>();
    for (String name : names.get()) {
      SegmentExpr e = segments.apply(name);
      if (Inputs.dependsOnTime(e, segments)) {
        out.add(e);
      }
    }
    return out;
  }

  private void reevaluate(String name, Tracked t, RoaringBitmap rows, long now,
      List<MembershipChange> out) {
    RoaringBitmap in = index.members(t.expr, now, segments, rows);
    RoaringBitmap was = RoaringBitmap.and(t.told, rows);
    diff(name, was, in, t.told, now, out);
  }

  /** Tells {@code before -> after}, and brings {@code told} (when given) along. */
  private void diff(String name, RoaringBitmap before, RoaringBitmap after, RoaringBitmap told,
      long now, List<MembershipChange> out) {
    Instant at = instant(now);
    RoaringBitmap.andNot(after, before).forEach((int row) -> {
      index.profileAt(row).ifPresent(id -> out.add(new MembershipChange(name, id, true, at)));
      if (told != null) {
        told.add(row);
      }
    });
    RoaringBitmap.andNot(before, after).forEach((int row) -> {
      index.profileAt(row).ifPresent(id -> out.add(new MembershipChange(name, id, false, at)));
      if (told != null) {
        told.remove(row);
      }
    });
  }

  private static Instant instant(long millis) {
    return Instant.ofEpochMilli(millis);
  }

  private void tell(List<MembershipChange> changes) {
    for (MembershipChange c : changes) {
      for (Consumer<MembershipChange> l : listeners) {
        try {
          l.accept(c);
        } catch (RuntimeException e) {
          LOG.warn("cdpkit: a membership listener failed on {}", c, e);
        }
      }
    }
  }
}
