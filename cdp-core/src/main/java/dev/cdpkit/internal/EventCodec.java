package dev.cdpkit.internal;

import dev.cdpkit.Event;
import dev.cdpkit.EventType;
import dev.cdpkit.Identifier;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A compact binary form of a stamped {@link Event}: one {@code byte[]} per event instead of a
 * graph of maps, sets and strings, for stores that keep the message log in memory. Decoding gives
 * an event equal to the one encoded. Thread-safe (stateless).
 */
public final class EventCodec {
  private static final int VERSION = 1;
  private static final int NULL = 0;
  private static final int STRING = 1;
  private static final int LONG = 2;
  private static final int DOUBLE = 3;
  private static final int TRUE = 4;
  private static final int FALSE = 5;
  private static final int LIST = 6;
  private static final int MAP = 7;
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
      out.write(v ? TRUE : FALSE);
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
      b.consent(purpose, in.read() == TRUE);
    }
    return b.build();
  }

  /** A growable byte buffer (ByteArrayOutputStream synchronizes every write). */
  private static final class Out {
    private byte[] buf;
    private int count;

    Out(int size) {
      buf = new byte[size];
    }

    void reset() {
      count = 0;
    }

    byte[] toByteArray() {
      return Arrays.copyOf(buf, count);
    }

    void write(int b) {
      if (count == buf.length) {
        buf = Arrays.copyOf(buf, buf.length * 2);
      }
      buf[count++] = (byte) b;
    }

    void write(byte[] b, int off, int len) {
      if (count + len > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + len));
      }
      System.arraycopy(b, off, buf, count, len);
      count += len;
    }

    void varlong(long v) {
      long z = (v << 1) ^ (v >> 63);
      while ((z & ~0x7FL) != 0) {
        write((int) ((z & 0x7F) | 0x80));
        z >>>= 7;
      }
      write((int) z);
    }

    void string(String s) {
      int n = s.length();
      boolean ascii = true;
      for (int i = 0; i < n && ascii; i++) {
        ascii = s.charAt(i) < 0x80;
      }
      if (ascii) {
        varlong(n);
        for (int i = 0; i < n; i++) {
          write(s.charAt(i));
        }
        return;
      }
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      varlong(b.length);
      write(b, 0, b.length);
    }

    void optString(String s) {
      if (s == null) {
        write(NULL);
      } else {
        write(STRING);
        string(s);
      }
    }

    void map(Map<String, ?> m) {
      varlong(m.size());
      m.forEach((k, v) -> {
        string(k);
        value(v);
      });
    }

    void value(Object v) {
      if (v == null) {
        write(NULL);
      } else if (v instanceof String) {
        write(STRING);
        string((String) v);
      } else if (v instanceof Long) {
        write(LONG);
        varlong((Long) v);
      } else if (v instanceof Double) {
        write(DOUBLE);
        long bits = Double.doubleToRawLongBits((Double) v);
        for (int i = 0; i < 8; i++) {
          write((int) (bits >>> (8 * i)));
        }
      } else if (v instanceof Boolean) {
        write((Boolean) v ? TRUE : FALSE);
      } else if (v instanceof List) {
        write(LIST);
        List<?> l = (List<?>) v;
        varlong(l.size());
        l.forEach(this::value);
      } else if (v instanceof Map) {
        write(MAP);
        @SuppressWarnings("unchecked")
        Map<String, ?> m = (Map<String, ?>) v;
        map(m);
      } else {
        throw new IllegalArgumentException("not a canonical value: " + v.getClass().getName());
      }
    }
  }

  private static final class In {
    private final byte[] b;
    private int pos;

    In(byte[] b) {
      this.b = b;
    }

    int read() {
      return b[pos++] & 0xFF;
    }

    long varlong() {
      long z = 0;
      int shift = 0;
      int x;
      do {
        x = read();
        z |= (long) (x & 0x7F) << shift;
        shift += 7;
      } while ((x & 0x80) != 0);
      return (z >>> 1) ^ -(z & 1);
    }

    String string() {
      int n = (int) varlong();
      String s = new String(b, pos, n, StandardCharsets.UTF_8);
      pos += n;
      return s;
    }

    String optString() {
      return read() == NULL ? null : string();
    }

    Map<String, Object> map() {
      long n = varlong();
      Map<String, Object> m = new LinkedHashMap<>();
      for (long i = 0; i < n; i++) {
        String k = string();
        m.put(k, value());
      }
      return m;
    }

    Object value() {
      int tag = read();
      switch (tag) {
        case NULL:
          return null;
        case STRING:
          return string();
        case LONG:
          return Values.boxLong(varlong());
        case DOUBLE:
          long bits = 0;
          for (int i = 0; i < 8; i++) {
            bits |= (long) read() << (8 * i);
          }
          return Double.longBitsToDouble(bits);
        case TRUE:
          return Boolean.TRUE;
        case FALSE:
          return Boolean.FALSE;
        case LIST:
          long n = varlong();
          List<Object> l = new ArrayList<>();
          for (long i = 0; i < n; i++) {
            l.add(value());
          }
          return Collections.unmodifiableList(l);
        case MAP:
          return Collections.unmodifiableMap(map());
        default:
          throw new IllegalArgumentException("corrupt event encoding: value tag " + tag);
      }
    }
  }
}
