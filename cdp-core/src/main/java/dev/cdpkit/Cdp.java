package dev.cdpkit;

import static java.util.Objects.requireNonNull;

import dev.cdpkit.identity.DeterministicIdentityResolver;
import dev.cdpkit.identity.Explanation;
import dev.cdpkit.identity.IdentityResolver;
import dev.cdpkit.identity.Rejection;
import dev.cdpkit.internal.activation.Activation;
import dev.cdpkit.internal.engine.Ingestor;
import dev.cdpkit.internal.index.Definitions;
import dev.cdpkit.internal.index.SegmentIndex;
import dev.cdpkit.internal.ingest.SpecJsonReader;
import dev.cdpkit.internal.live.LiveSegments;
import dev.cdpkit.store.AccountRecord;
import dev.cdpkit.store.Changes;
import dev.cdpkit.store.EventKey;
import dev.cdpkit.store.InMemoryProfileStore;
import dev.cdpkit.store.ProfileRecord;
import dev.cdpkit.store.ProfileStore;
import dev.cdpkit.segment.SegmentExpr;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.roaringbitmap.RoaringBitmap;
import org.roaringbitmap.buffer.ImmutableRoaringBitmap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The customer data platform: send it events and traits, ask it for unified profiles.
 *
 * <pre>{@code
 * try (Cdp cdp = Cdp.builder().build()) {
 *   cdp.ingestJson("{\"type\":\"identify\",\"userId\":\"u1\",\"traits\":{\"email\":\"Jane@Example.com\"}}");
 *   cdp.ingest(Event.track("Feature Used").userId("u1").property("feature", "A").build());
 *   Profile jane = cdp.profile(Identifier.of("email", "jane@example.com")).orElseThrow();
 * }
 * }</pre>
 *
 * <p>Messages are applied so that profiles are a function of the set of messages: whatever order
 * they arrive in, the result equals applying them in {@code (timestamp, messageId)} order. A
 * message id is applied once. Identifiers link into profiles within the {@link IdentityRules}
 * (priority, limits, blocked values); {@link #explain} says why a profile is what it is,
 * {@link #removeIdentifier} splits a wrongly merged one.
 *
 * <p>Thread-safe: any number of threads may ingest and read at once. Ingestion parses on the
 * calling thread and applies messages one at a time under a lock; reads never wait for a parse and
 * see each message whole or not at all.
 */
public final class Cdp implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Cdp.class);

  private final ProfileStore store;
  private final IdentityRules rules;
  private final IdentityResolver resolver;
  private final Clock clock;
  private final SpecJsonReader reader;
  private final Ingestor ingestor;
  private final SegmentIndex index;
  private final Definitions definitions;
  private final LiveSegments live;
  private final Activation activation;
  private final ExecutorService deliveries;
  private final ScheduledExecutorService scheduler;
  /** The tick the scheduler will run next, and when; guarded by the write lock. */
  private ScheduledFuture<?> nextTick;
  private long nextTickAt = Long.MAX_VALUE;
  private final ReentrantLock writeLock = new ReentrantLock();
  /** What the store committed in the current transaction, for the engine once it is durable. */
  private final List<Changes> pending = new ArrayList<>();
  private volatile boolean closed;

  private Cdp(Builder b) {
    this.store = b.store != null ? b.store : new InMemoryProfileStore();
    this.rules = b.rules != null ? b.rules : IdentityRules.defaults();
    this.resolver = b.resolver != null ? b.resolver : new DeterministicIdentityResolver(rules);
    this.clock = b.clock != null ? b.clock : Clock.systemUTC();
    this.reader = new SpecJsonReader(b.maxMessageBytes, b.maxBatchBytes);
    Map<String, SegmentExpr> defined = new LinkedHashMap<>();
    store.segments().forEach((name, text) -> defined.put(name, SegmentExpr.parse(text)));
    this.index = openIndex(store, defined, clock.millis());
    this.definitions = new Definitions(index);
    definitions.restore(defined);
    this.live = new LiveSegments(index, definitions::get, definitions::names, clock.millis());
    this.scheduler = b.scheduler;
    this.deliveries = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "cdpkit-sync");
      t.setDaemon(true);
      return t;
    });
    this.activation = new Activation(store, index, definitions::get, clock::millis, b.caps,
        deliveries);
    this.ingestor = new Ingestor(store, resolver, rules, pending::add);
  }

  /**
   * The engine over what the store holds: restored from the store's snapshot when it has a
   * current one, else built from every profile and event.
   */
  private static SegmentIndex openIndex(ProfileStore store, Map<String, SegmentExpr> defined,
      long now) {
    Optional<List<byte[]>> snapshot = store.snapshot();
    if (snapshot.isPresent()) {
      SegmentIndex restored = new SegmentIndex(store);
      try {
        if (restored.restore(snapshot.get(), defined.values(), now, defined::get)) {
          return restored;
        }
        LOG.info("cdpkit: the store's index snapshot is of another format; rebuilding the"
            + " indexes from the store");
      } catch (RuntimeException e) {
        LOG.warn("cdpkit: the store's index snapshot could not be read ({}); rebuilding the"
            + " indexes from the store", e.toString());
      }
    }
    SegmentIndex index = new SegmentIndex(store);
    index.load(defined.values(), now, defined::get);
    return index;
  }

  /**
   * Runs {@code work} as one store transaction (under the write lock), then shows the engine
   * what it committed: a failed transaction leaves no trace in the indexes either.
   */
  private <T> T transact(Supplier<T> work) {
    try {
      T result = store.inTransaction(work);
      if (!pending.isEmpty()) {
        SegmentIndex.Applied applied = index.apply(List.copyOf(pending));
        live.applied(applied, clock.millis());
        activation.applied(applied);
        if (scheduler != null) {
          schedule(live.nextChange(clock.millis()));
        }
      }
      return result;
    } finally {
      pending.clear();
    }
  }

  /**
   * Calls {@code listener} with every change of membership of every defined segment from now on:
   * one {@link MembershipChange} per profile per segment, when and only when its membership
   * changes, whatever caused it (messages, merges and splits, {@link #forget}, redefinitions,
   * and the passing of time as {@link #tick()} finds it). The members when the first listener
   * subscribes are the starting point; a segment defined later tells each of its members as
   * entering. Listeners run on the thread that caused the change (an ingesting thread, or the
   * one calling {@code tick}), after the store committed it, one change at a time, under the
   * write lock: keep them quick, and do not call this {@code Cdp}'s writing methods from one
   * (hand the change to another thread); one that throws is logged and the others are still
   * called.
   */
  public Subscription onMembershipChange(Consumer<MembershipChange> listener) {
    requireNonNull(listener, "listener");
    checkOpen();
    writeLock.lock();
    try {
      return live.subscribe(listener, clock.millis());
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Brings the live segments to the clock's now: the profiles whose windows slid or whose
   * timestamp traits crossed a {@code within} since the last tick are evaluated again, and the
   * membership changes that caused are told to the listeners. Returns the next instant at which
   * the passing of time may change any defined segment (empty when none will, until more
   * messages come): call it again then, or let the builder's
   * {@link Builder#scheduler scheduler} do it.
   */
  public Optional<Instant> tick() {
    checkOpen();
    writeLock.lock();
    try {
      OptionalLong next = live.tick(clock.millis());
      if (scheduler != null) {
        nextTickAt = Long.MAX_VALUE;
        schedule(next);
      }
      return next.isPresent() ? Optional.of(Instant.ofEpochMilli(next.getAsLong()))
          : Optional.empty();
    } finally {
      writeLock.unlock();
    }
  }

  /** Has the scheduler tick at {@code next} unless one is due sooner. Under the write lock. */
  private void schedule(OptionalLong next) {
    if (next.isEmpty() || next.getAsLong() >= nextTickAt || closed) {
      return;
    }
    if (nextTick != null) {
      nextTick.cancel(false);
    }
    nextTickAt = next.getAsLong();
    long delay = Math.max(0, nextTickAt - clock.millis());
    nextTick = scheduler.schedule(() -> {
      try {
        if (!closed) {
          tick();
        }
      } catch (RuntimeException e) {
        LOG.warn("cdpkit: a scheduled tick failed", e);
      }
    }, delay, TimeUnit.MILLISECONDS);
  }

  /** Starts configuring a {@code Cdp}; every setting is optional. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Ingests Segment Spec JSON: one message ({@code identify}, {@code track}, {@code page},
   * {@code screen}, {@code group}, {@code alias}) or a {@code {"batch": [...]}} envelope.
   *
   * <p>In a batch, each valid message is applied and each invalid one is reported in the result
   * ({@link IngestResult#errors()}); nothing of an invalid message is applied. A batch is one
   * store transaction ({@link ProfileStore#inTransaction}): if the store fails, nothing of it is
   * kept.
   *
   * @throws IngestException if the payload is not JSON, not an object, too large, has a
   *     {@code batch} that is not an array, or is a single message that is invalid; the message
   *     names the field at fault
   */
  public IngestResult ingestJson(String json) {
    requireNonNull(json, "json");
    checkOpen();
    List<SpecJsonReader.Item> items = reader.read(json);
    List<IngestResult.Message> out = new ArrayList<>(items.size());
    writeLock.lock();
    try {
      transact(() -> {
        for (SpecJsonReader.Item item : items) {
          if (item.error() != null) {
            out.add(new IngestResult.Message(item.index(), Optional.ofNullable(item.messageId()),
                IngestResult.Status.REJECTED, Optional.empty(), List.of(), List.of(),
                Optional.of(item.error())));
          } else {
            out.add(applyLocked(item.index(), item.event()));
          }
        }
        return null;
      });
    } finally {
      writeLock.unlock();
    }
    return new IngestResult(out);
  }

  /**
   * Ingests one event built with the Java API, such as
   * {@code Event.track("Feature Used").userId("u1").build()}. An event without a timestamp is
   * stamped with this {@code Cdp}'s clock.
   */
  public IngestResult ingest(Event event) {
    requireNonNull(event, "event");
    checkOpen();
    writeLock.lock();
    try {
      return new IngestResult(List.of(transact(() -> applyLocked(0, event))));
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Ingests events built with the Java API as one batch: one store transaction (on a database,
   * far faster than one at a time), applied in order, each reported in the result in its
   * position; an event without a timestamp is stamped with the clock.
   */
  public IngestResult ingest(List<Event> events) {
    requireNonNull(events, "events");
    for (Event e : events) {
      requireNonNull(e, "events must not hold null");
    }
    checkOpen();
    List<IngestResult.Message> out = new ArrayList<>(events.size());
    writeLock.lock();
    try {
      transact(() -> {
        for (int i = 0; i < events.size(); i++) {
          out.add(applyLocked(i, events.get(i)));
        }
        return null;
      });
    } finally {
      writeLock.unlock();
    }
    return new IngestResult(out);
  }

  private IngestResult.Message applyLocked(int index, Event event) {
    if (ingestor.suppressed(event)) {
      return new IngestResult.Message(index, Optional.of(event.messageId()),
          IngestResult.Status.SUPPRESSED, Optional.empty(), List.of(), List.of(),
          Optional.empty());
    }
    Event stamped = event.timestamp().isPresent() ? event : event.withTimestamp(clock.instant());
    Ingestor.Outcome o = ingestor.apply(stamped);
    if (o.duplicate()) {
      return new IngestResult.Message(index, Optional.of(event.messageId()),
          IngestResult.Status.DUPLICATE, Optional.empty(), List.of(), List.of(),
          Optional.empty());
    }
    return new IngestResult.Message(index, Optional.of(event.messageId()),
        IngestResult.Status.APPLIED, Optional.ofNullable(o.profile()), o.merged(), o.rejected(),
        Optional.empty());
  }

  /**
   * Why a profile's identifiers are one profile: which messages linked what and merged which
   * profiles, when, and which identifiers were left out and why. Empty for an unknown id; a
   * merged-away id explains the surviving profile.
   */
  public Optional<Explanation> explain(ProfileId id) {
    requireNonNull(id, "id");
    checkOpen();
    return store.resolve(id).flatMap(store::profile).map(r -> new Explanation(r.id(),
        r.identifiers(), r.links(), r.rejections().values().stream()
            .sorted(Comparator.comparing(Rejection::identifier))
            .toList()));
  }

  /**
   * Removes a wrong identifier for good (the shared iPad, the QA email): the profiles it held
   * together are derived again from their messages as if it had never been seen, so events and
   * traits go to the right profile, and lookups by the remaining identifiers find their new
   * profiles. Later messages that carry it do not link it. Messages that carried nothing else
   * belong to no profile afterwards.
   *
   * @return the profiles that now hold the messages of the profiles it touched
   */
  public Set<ProfileId> removeIdentifier(Identifier identifier) {
    requireNonNull(identifier, "identifier");
    checkOpen();
    writeLock.lock();
    try {
      return Set.copyOf(transact(() -> ingestor.removeIdentifier(identifier)));
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Forgets a person, for good (the right to be forgotten): the profile the identifier names is
   * deleted with everything of it, in memory and in the store: its messages (from the log),
   * identifiers and their links, traits, consents, account memberships, segment memberships
   * (listeners are told it exited) and index entries (the indexes are rebuilt without it). Every
   * identifier it had is suppressed: a suppression record keeps a SHA-256 of each, not the
   * identifier, and a later message carrying one is not applied
   * ({@link IngestResult.Status#SUPPRESSED}) until {@link #liftSuppression} lifts it. Each
   * audience's next sync removes it from its destination. Profiles that had turned one of those
   * identifiers away are derived again without it; account traits its messages set stay (they
   * describe the account; they no longer name its messages as their provenance), as do other
   * people's messages that mention its identifiers.
   *
   * <p>An identifier that names no profile is suppressed all the same.
   */
  public DeletionReport forget(Identifier identifier) {
    requireNonNull(identifier, "identifier");
    checkOpen();
    writeLock.lock();
    try {
      long now = clock.millis();
      List<String> left = new ArrayList<>();
      List<String> audiences = new ArrayList<>();
      store.profileOf(rules.normalize(identifier)).flatMap(index::rowOf).ifPresent(row -> {
        audiences.addAll(activation.holding(row));
        RoaringBitmap only = RoaringBitmap.bitmapOf(row);
        for (String name : definitions.names()) {
          if (!index.members(definitions.get(name), now, definitions::get, only).isEmpty()) {
            left.add(name);
          }
        }
      });
      Ingestor.Forgotten f = transact(() -> ingestor.forget(identifier));
      index.rebuildIndexes();
      Optional<ProfileRecord> r = f.record();
      return new DeletionReport(f.profile(), f.identifiers().size(), f.messages(),
          r.map(x -> x.traits().size()).orElse(0), r.map(x -> x.accountIds().size()).orElse(0),
          r.map(x -> x.consents().size()).orElse(0), left, audiences);
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Adds an audience: a defined segment bound to a destination (see {@link Audience}). What its
   * destination was last sent is read from the store, so after a restart the next sync sends
   * only what changed.
   *
   * @throws IllegalArgumentException if an audience of that name was added, or its segment is
   *     not defined
   */
  public void addAudience(Audience audience) {
    requireNonNull(audience, "audience");
    checkOpen();
    activation.add(audience);
  }

  /**
   * Syncs an audience to its destination: everything on its first sync, afterwards exactly the
   * profiles to add and to remove since the last successful one (members that entered or left
   * the segment, granted or withdrew the consent, reached or left the frequency cap, went to a
   * higher-priority audience on the channel, were merged away or forgotten), each with the
   * identifiers it has now (or, to remove, those it was sent). What the destination applied is
   * kept in the store; what failed is tried again next time. Runs on the calling thread (the
   * destination on a thread of its own, waited for up to the audience's timeout); ingestion goes
   * on meanwhile.
   *
   * @throws IllegalArgumentException for an unknown audience
   */
  public SyncReport sync(String audience) {
    requireNonNull(audience, "audience");
    checkOpen();
    return activation.sync(audience);
  }

  /**
   * Syncs every audience at once, each on a thread of its own: a failing or slow destination
   * holds up none of the others. Reports in the order the audiences were added.
   */
  public List<SyncReport> syncAll() {
    checkOpen();
    return activation.syncAll();
  }

  /**
   * Records that a profile was contacted on a channel now: a shortcut for ingesting the
   * channel's contact event ({@link FrequencyCap#contactEvent()}, or the event named after the
   * channel, such as {@code "Email Sent"}), which its frequency cap counts.
   */
  public IngestResult recordContact(Identifier who, String channel) {
    requireNonNull(who, "who");
    requireNonNull(channel, "channel");
    String event = activation.cap(channel).map(FrequencyCap::contactEvent)
        .orElse(FrequencyCap.contactEventOf(channel));
    return ingest(Event.track(event).identifier(who).property("channel", channel).build());
  }

  /**
   * Lets messages that carry this identifier be applied again after {@link #forget} suppressed
   * it (for example when the person signs up again and asks for it). Returns whether it was
   * suppressed.
   */
  public boolean liftSuppression(Identifier identifier) {
    requireNonNull(identifier, "identifier");
    checkOpen();
    writeLock.lock();
    try {
      return store.inTransaction(() -> ingestor.liftSuppression(identifier));
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Derives every profile again from the whole message log under this {@code Cdp}'s identity
   * rules. Build a {@code Cdp} with changed rules (a newly blocked value, another limit) on the
   * same store and call this to apply them to existing data. It reads every message: an
   * administrative operation, not one for every request.
   */
  public void rebuildIdentities() {
    checkOpen();
    writeLock.lock();
    try {
      transact(() -> {
        ingestor.rebuildAll();
        return null;
      });
    } finally {
      writeLock.unlock();
    }
  }

  /** The unified profile an identifier resolves to, such as {@code Identifier.of("email", ...)}. */
  public Optional<Profile> profile(Identifier identifier) {
    requireNonNull(identifier, "identifier");
    checkOpen();
    return store.profileOf(rules.normalize(identifier)).flatMap(store::profile)
        .map(ProfileRecord::toProfile);
  }

  /**
   * The profile with this id; the id of a profile merged into another resolves to the surviving
   * profile.
   */
  public Optional<Profile> profile(ProfileId id) {
    requireNonNull(id, "id");
    checkOpen();
    return store.resolve(id).flatMap(store::profile).map(ProfileRecord::toProfile);
  }

  /**
   * The messages of a profile (all types, including identify and group calls), in
   * {@code (timestamp, messageId)} order; empty for an unknown id. A merged-away id gives the
   * surviving profile's messages.
   */
  public List<Event> events(ProfileId id) {
    requireNonNull(id, "id");
    checkOpen();
    List<Event> events = new ArrayList<>(
        store.resolve(id).map(store::events).orElse(List.of()));
    events.sort(Comparator.comparing(EventKey::of));
    return List.copyOf(events);
  }

  /** Calls {@code action} with every profile, in no particular order. */
  public void forEachProfile(Consumer<Profile> action) {
    requireNonNull(action, "action");
    checkOpen();
    store.forEachProfile(r -> action.accept(r.toProfile()));
  }

  /** The account (B2B group) with this id. */
  public Optional<Account> account(String accountId) {
    requireNonNull(accountId, "accountId");
    checkOpen();
    return store.account(accountId).map(AccountRecord::toAccount);
  }

  /** The number of unified profiles. */
  public long profileCount() {
    checkOpen();
    return store.profileCount();
  }

  /**
   * Evaluates a segment expression now, such as {@code ltv > 1000 and count("Ticket Created"
   * within 90d) >= 3}: the profiles that satisfy it at the clock's {@code now}. The expression may
   * name defined segments ({@code in segment "churned"}).
   *
   * @throws SegmentSyntaxException if it does not parse, names a segment that is not defined, or
   *     an aggregate takes a property its events never carry as a number
   */
  public SegmentResult evaluate(String expression) {
    requireNonNull(expression, "expression");
    return evaluate(SegmentExpr.parse(expression), expression);
  }

  /** Evaluates a segment expression built in Java (see {@link #evaluate(String)}). */
  public SegmentResult evaluate(SegmentExpr expression) {
    requireNonNull(expression, "expression");
    return evaluate(expression, expression.render());
  }

  private SegmentResult evaluate(SegmentExpr expression, String text) {
    checkOpen();
    definitions.check(expression, text);
    Instant now = clock.instant();
    RoaringBitmap rows = index.members(expression, now.toEpochMilli(), definitions::get);
    rows.runOptimize();
    ByteBuffer buffer = ByteBuffer.allocate(rows.serializedSizeInBytes());
    rows.serialize(buffer);
    buffer.flip();
    return new SegmentResult(expression, now, new ImmutableRoaringBitmap(buffer),
        row -> index.profileAt(row).flatMap(store::profile).map(ProfileRecord::toProfile));
  }

  long countOf(SegmentExpr expression) {
    checkOpen();
    return index.count(expression, clock.millis(), definitions::get);
  }

  List<ClauseCount> clauseCountsOf(SegmentExpr expression) {
    checkOpen();
    return index.clauseCounts(expression, clock.millis(), definitions::get);
  }

  /**
   * Defines (or redefines) a named segment, such as {@code defineSegment("power_users",
   * "count(\"Feature Used\" within 30d) >= 10")}. Other expressions may then use it as
   * {@code in segment "power_users"}.
   *
   * @throws SegmentSyntaxException if the expression does not parse, names a segment that is not
   *     defined, would make segments refer to each other in a cycle, or has an aggregate over a
   *     property its events never carry as a number; nothing is defined then
   * @throws IllegalArgumentException if the name is blank
   */
  public Segment defineSegment(String name, String expression) {
    requireNonNull(expression, "expression");
    return define(name, SegmentExpr.parse(expression), expression);
  }

  /** Defines a named segment built in Java (see {@link #defineSegment(String, String)}). */
  public Segment defineSegment(String name, SegmentExpr expression) {
    requireNonNull(expression, "expression");
    return define(name, expression, expression.render());
  }

  private Segment define(String name, SegmentExpr expression, String text) {
    requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a segment name must not be blank: '" + name + "'");
    }
    checkOpen();
    writeLock.lock();
    try {
      definitions.define(name, expression, text, () -> store.putSegment(name, text));
    } finally {
      writeLock.unlock();
    }
    index.track(expression, clock.millis(), definitions::get);
    writeLock.lock();
    try {
      live.redefined(clock.millis());
      if (scheduler != null) {
        schedule(live.nextChange(clock.millis()));
      }
    } finally {
      writeLock.unlock();
    }
    return new Segment(this, name, expression);
  }

  /** The segment defined under this name, with its current definition. */
  public Optional<Segment> segment(String name) {
    requireNonNull(name, "name");
    checkOpen();
    return Optional.ofNullable(definitions.get(name)).map(e -> new Segment(this, name, e));
  }

  /**
   * Closes the store, first handing it a snapshot of the segment indexes (which a store that
   * outlives the process keeps, so that the next {@code Cdp} opens quickly). Later calls fail
   * with {@link IllegalStateException}. Idempotent.
   */
  @Override
  public void close() {
    writeLock.lock();
    try {
      if (!closed) {
        closed = true;
        if (nextTick != null) {
          nextTick.cancel(false);
        }
        deliveries.shutdownNow();
        try {
          store.saveSnapshot(index::snapshot);
        } finally {
          store.close();
        }
      }
    } finally {
      writeLock.unlock();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("this Cdp is closed");
    }
  }

  @Override
  public String toString() {
    return "Cdp{store=" + store.getClass().getSimpleName() + ", resolver=" + resolver + "}";
  }

  /**
   * Configures a {@link Cdp}. Each setting is optional and may be set once; {@link #build()}
   * validates them.
   *
   * <p>Not thread-safe.
   */
  public static final class Builder {
    /** The default per-message limit, as Segment's: 32 KB. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 32 * 1024;
    /** The default per-payload limit of a batch envelope, as Segment's: 500 KB. */
    public static final int DEFAULT_MAX_BATCH_BYTES = 500 * 1024;

    private ProfileStore store;
    private IdentityRules rules;
    private IdentityResolver resolver;
    private Clock clock;
    private int maxMessageBytes = -1;
    private int maxBatchBytes = -1;
    private ScheduledExecutorService scheduler;
    private final List<FrequencyCap> caps = new ArrayList<>();

    private Builder() {}

    /**
     * Caps the contacts on a channel ({@link FrequencyCap}): profiles at the cap are kept out of
     * every audience whose destination is on that channel. One cap per channel.
     */
    public Builder frequencyCap(FrequencyCap cap) {
      requireNonNull(cap, "cap");
      for (FrequencyCap c : caps) {
        check(!c.channel().equals(cap.channel()), "channel '%s' has a frequency cap already: %s",
            cap.channel(), c);
      }
      caps.add(cap);
      return this;
    }

    /**
     * Lets the {@code Cdp} call {@link Cdp#tick()} itself, on this executor, at each instant the
     * passing of time may change a segment (the delay is measured with the {@code Cdp}'s clock,
     * so give it a real one). Default: none; the host calls {@code tick()}. The executor stays
     * the host's to shut down.
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      check(this.scheduler == null, "scheduler was already set to %s", this.scheduler);
      this.scheduler = requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** Where to keep profiles and the message log; default: {@link InMemoryProfileStore}. */
    public Builder store(ProfileStore store) {
      check(this.store == null, "store was already set to %s", this.store);
      this.store = requireNonNull(store, "store");
      return this;
    }

    /**
     * The identity rules: priority, limits, blocked values, normalization; default:
     * {@link IdentityRules#defaults()}. The default resolver follows them; the normalizers apply
     * whatever the resolver.
     */
    public Builder identityRules(IdentityRules rules) {
      check(this.rules == null, "identityRules was already set to %s", this.rules);
      this.rules = requireNonNull(rules, "rules");
      return this;
    }

    /**
     * How messages resolve to profiles; default: a {@link DeterministicIdentityResolver} with the
     * identity rules.
     */
    public Builder identityResolver(IdentityResolver resolver) {
      check(this.resolver == null, "identityResolver was already set to %s", this.resolver);
      this.resolver = requireNonNull(resolver, "resolver");
      return this;
    }

    /** The clock that stamps messages without a time; default: {@link Clock#systemUTC()}. */
    public Builder clock(Clock clock) {
      check(this.clock == null, "clock was already set to %s", this.clock);
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /** The largest accepted message, in UTF-8 bytes; default 32 KB. */
    public Builder maxMessageBytes(int bytes) {
      check(maxMessageBytes < 0, "maxMessageBytes was already set to %s", maxMessageBytes);
      check(bytes > 0, "maxMessageBytes must be positive: %s", bytes);
      this.maxMessageBytes = bytes;
      return this;
    }

    /** The largest accepted batch envelope, in UTF-8 bytes; default 500 KB. */
    public Builder maxBatchBytes(int bytes) {
      check(maxBatchBytes < 0, "maxBatchBytes was already set to %s", maxBatchBytes);
      check(bytes > 0, "maxBatchBytes must be positive: %s", bytes);
      this.maxBatchBytes = bytes;
      return this;
    }

    /** Builds the {@code Cdp}. */
    public Cdp build() {
      if (maxMessageBytes < 0) {
        maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
      }
      if (maxBatchBytes < 0) {
        maxBatchBytes = Math.max(DEFAULT_MAX_BATCH_BYTES, maxMessageBytes);
      }
      check(maxBatchBytes >= maxMessageBytes,
          "maxBatchBytes (%s) must be at least maxMessageBytes (%s)", maxBatchBytes,
          maxMessageBytes);
      return new Cdp(this);
    }

    private static void check(boolean ok, String template, Object... args) {
      if (!ok) {
        throw new IllegalArgumentException(String.format(template, args));
      }
    }
  }
}
