package dev.cdpkit.internal;

import dev.cdpkit.Event;
import dev.cdpkit.EventType;
import dev.cdpkit.Identifier;
import dev.cdpkit.internal.Bytes.In;
import dev.cdpkit.internal.Bytes.Out;
import java.time.Instant;

/**
 * A compact binary form of a stamped {@link Event}: one {@code byte[]} per event instead of a
 * graph of maps, sets and strings, for stores that keep the message log in memory. Decoding gives
 * an event equal to the one encoded. Thread-safe (stateless).
 */
public final class EventCodec {
  private static final int VERSION = 1;
  private static final EventType[] TYPES = EventType.values();

  private EventCodec() {}

  private static final ThreadLocal<Out> BUFFER = ThreadLocal.withInitial(() -> new Out(1024));

  /** Encodes a stamped event. */
  public static byte[] encode(Event e) {
    Out out = BUFFER.get();
    out.reset();
    out.write(VERSION);
    out.write(e.type().ordinal());
    out.optString(e.name().orElse(null));
    out.optString(e.groupId().orElse(null));
    out.optString(e.previousId().orElse(null));
    out.string(e.messageId());
    out.string(e.source());
    Instant at = e.timestamp().orElseThrow(
        () -> new IllegalArgumentException("event " + e.messageId() + " has no timestamp"));
    out.varlong(at.getEpochSecond());
    out.varlong(at.getNano());
    out.varlong(e.identifiers().size());
    for (Identifier i : e.identifiers()) {
      out.string(i.type());
      out.string(i.value());
    }
    out.map(e.properties());
    out.map(e.traits());
    out.varlong(e.consents().size());
    e.consents().forEach((k, v) -> {
      out.string(k);
      out.write(v ? Bytes.TRUE : Bytes.FALSE);
    });
    return out.toByteArray();
  }

  /** Decodes what {@link #encode} made. */
  public static Event decode(byte[] bytes) {
    In in = new In(bytes);
    int version = in.read();
    if (version != VERSION) {
      throw new IllegalArgumentException("unknown event encoding version " + version);
    }
    EventType type = TYPES[in.read()];
    String name = in.optString();
    String groupId = in.optString();
    String previousId = in.optString();
    Event.Builder b;
    switch (type) {
      case TRACK:
        b = Event.track(name);
        break;
      case PAGE:
        b = name == null ? Event.page() : Event.page(name);
        break;
      case SCREEN:
        b = name == null ? Event.screen() : Event.screen(name);
        break;
      case GROUP:
        b = Event.group(groupId);
        break;
      case ALIAS:
        b = Event.alias(previousId);
        break;
      default:
        b = Event.identify();
        break;
    }
    b.messageId(in.string()).source(in.string());
    long seconds = in.varlong();
    b.timestamp(Instant.ofEpochSecond(seconds, in.varlong()));
    for (long n = in.varlong(); n > 0; n--) {
      String t = in.string();
      b.identifier(new Identifier(t, in.string()));
    }
    in.map().forEach(b::property);
    in.map().forEach(b::trait);
    for (long n = in.varlong(); n > 0; n--) {
      String purpose = in.string();
      b.consent(purpose, in.read() == Bytes.TRUE);
    }
    return b.build();
  }
}
