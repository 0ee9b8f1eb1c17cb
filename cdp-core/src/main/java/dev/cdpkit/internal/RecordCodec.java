package dev.cdpkit.internal;

import dev.cdpkit.Identifier;
import dev.cdpkit.ProfileId;
import dev.cdpkit.TraitValue;
import dev.cdpkit.identity.IdentityLink;
import dev.cdpkit.identity.Rejection;
import dev.cdpkit.internal.Bytes.In;
import dev.cdpkit.internal.Bytes.Out;
import dev.cdpkit.store.AccountRecord;
import dev.cdpkit.store.EventKey;
import dev.cdpkit.store.ProfileRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A compact binary form of the records a store keeps ({@link ProfileRecord} with its provenance
 * and merge log, {@link AccountRecord}, {@link EventKey}), for stores that persist them as bytes.
 * Decoding gives a record equal to the one encoded. Thread-safe (stateless).
 */
public final class RecordCodec {
  private static final int VERSION = 1;
  private static final ThreadLocal<Out> BUFFER = ThreadLocal.withInitial(() -> new Out(1024));

  private RecordCodec() {}

  /** Encodes a profile record. */
  public static byte[] encode(ProfileRecord r) {
    Out out = start();
    out.string(r.id().value());
    key(out, r.created());
    key(out, r.latest());
    identifiers(out, r.identifiers());
    traits(out, r.traits());
    out.varlong(r.accountIds().size());
    r.accountIds().forEach(out::string);
    traits(out, r.consents());
    out.varlong(r.links().size());
    for (IdentityLink l : r.links()) {
      out.string(l.messageId());
      instant(out, l.timestamp());
      out.string(l.source());
      identifiers(out, l.linked());
      out.varlong(l.merged().size());
      l.merged().forEach(p -> out.string(p.value()));
    }
    out.varlong(r.rejections().size());
    for (Rejection j : r.rejections().values()) {
      identifier(out, j.identifier());
      out.string(j.reason());
      out.string(j.messageId());
      instant(out, j.timestamp());
      out.varlong(j.times());
      out.write(j.blocked() ? Bytes.TRUE : Bytes.FALSE);
    }
    identifiers(out, r.lookups());
    return out.toByteArray();
  }

  /** Decodes what {@link #encode(ProfileRecord)} made. */
  public static ProfileRecord decodeProfile(byte[] bytes) {
    In in = open(bytes, "profile");
    ProfileId id = ProfileId.of(in.string());
    EventKey created = key(in);
    EventKey latest = key(in);
    Set<Identifier> identifiers = identifiers(in);
    Map<String, TraitValue> traits = traits(in);
    Set<String> accounts = new HashSet<>();
    for (long n = in.varlong(); n > 0; n--) {
      accounts.add(in.string());
    }
    Map<String, TraitValue> consents = traits(in);
    List<IdentityLink> links = new ArrayList<>();
    for (long n = in.varlong(); n > 0; n--) {
      String messageId = in.string();
      Instant at = instant(in);
      String source = in.string();
      Set<Identifier> linked = identifiers(in);
      Set<ProfileId> merged = new HashSet<>();
      for (long k = in.varlong(); k > 0; k--) {
        merged.add(ProfileId.of(in.string()));
      }
      links.add(new IdentityLink(messageId, at, source, linked, merged));
    }
    Map<Identifier, Rejection> rejections = new HashMap<>();
    for (long n = in.varlong(); n > 0; n--) {
      Identifier i = identifier(in);
      Rejection j = new Rejection(i, in.string(), in.string(), instant(in), (int) in.varlong(),
          in.read() == Bytes.TRUE);
      rejections.put(i, j);
    }
    Set<Identifier> lookups = identifiers(in);
    return new ProfileRecord(id, created, latest, identifiers, traits, accounts, consents, links,
        rejections, lookups);
  }

  /** Encodes an account record. */
  public static byte[] encode(AccountRecord a) {
    Out out = start();
    out.string(a.id());
    traits(out, a.traits());
    return out.toByteArray();
  }

  /** Decodes what {@link #encode(AccountRecord)} made. */
  public static AccountRecord decodeAccount(byte[] bytes) {
    In in = open(bytes, "account");
    return new AccountRecord(in.string(), traits(in));
  }

  /** Encodes an event key. */
  public static byte[] encode(EventKey k) {
    Out out = start();
    key(out, k);
    return out.toByteArray();
  }

  /** Decodes what {@link #encode(EventKey)} made. */
  public static EventKey decodeKey(byte[] bytes) {
    return key(open(bytes, "event key"));
  }

  /** Encodes a list of strings (what an audience member was sent). */
  public static byte[] encode(List<String> strings) {
    Out out = start();
    out.varlong(strings.size());
    strings.forEach(out::string);
    return out.toByteArray();
  }

  /** Decodes what {@link #encode(List)} made. */
  public static List<String> decodeStrings(byte[] bytes) {
    In in = open(bytes, "string list");
    int n = (int) in.varlong();
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(in.string());
    }
    return List.copyOf(out);
  }

  private static Out start() {
    Out out = BUFFER.get();
    out.reset();
    out.write(VERSION);
    return out;
  }

  private static In open(byte[] bytes, String what) {
    In in = new In(bytes);
    int version = in.read();
    if (version != VERSION) {
      throw new IllegalArgumentException("unknown " + what + " encoding version " + version);
    }
    return in;
  }

  private static void instant(Out out, Instant t) {
    out.varlong(t.getEpochSecond());
    out.varlong(t.getNano());
  }

  private static Instant instant(In in) {
    long seconds = in.varlong();
    return Instant.ofEpochSecond(seconds, in.varlong());
  }

  private static void key(Out out, EventKey k) {
    instant(out, k.timestamp());
    out.string(k.messageId());
  }

  private static EventKey key(In in) {
    Instant t = instant(in);
    return new EventKey(t, in.string());
  }

  private static void identifier(Out out, Identifier i) {
    out.string(i.type());
    out.string(i.value());
  }

  private static Identifier identifier(In in) {
    String type = in.string();
    return new Identifier(type, in.string());
  }

  private static void identifiers(Out out, Collection<Identifier> ids) {
    out.varlong(ids.size());
    ids.forEach(i -> identifier(out, i));
  }

  private static Set<Identifier> identifiers(In in) {
    Set<Identifier> out = new HashSet<>();
    for (long n = in.varlong(); n > 0; n--) {
      out.add(identifier(in));
    }
    return out;
  }

  private static void traits(Out out, Map<String, TraitValue> traits) {
    out.varlong(traits.size());
    traits.forEach((name, v) -> {
      out.string(name);
      out.value(v.value());
      instant(out, v.timestamp());
      out.string(v.messageId());
      out.string(v.source());
    });
  }

  private static Map<String, TraitValue> traits(In in) {
    Map<String, TraitValue> out = new HashMap<>();
    for (long n = in.varlong(); n > 0; n--) {
      String name = in.string();
      Object value = in.value();
      Instant at = instant(in);
      String messageId = in.string();
      out.put(name, new TraitValue(value, at, messageId, in.string()));
    }
    return out;
  }
}
