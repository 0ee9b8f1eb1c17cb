package dev.cdpkit.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The binary encoding the codecs share: varints (zig-zag), UTF-8 strings with a length, and the
 * canonical trait values (null, strings, longs, doubles, booleans, lists, maps) with a tag each.
 * Not thread-safe (each buffer belongs to one thread).
 */
public final class Bytes {
  static final int NULL = 0;
  static final int STRING = 1;
  static final int LONG = 2;
  static final int DOUBLE = 3;
  static final int TRUE = 4;
  static final int FALSE = 5;
  static final int LIST = 6;
  static final int MAP = 7;

  private Bytes() {}

  /** A growable byte buffer (ByteArrayOutputStream synchronizes every write). */
  public static final class Out {
    private byte[] buf;
    private int count;

    /** An empty buffer of {@code size} bytes to start with. */
    public Out(int size) {
      buf = new byte[size];
    }

    /** Empties the buffer. */
    public void reset() {
      count = 0;
    }

    /** The number of bytes written since the last reset. */
    public int size() {
      return count;
    }

    /** A copy of the bytes written. */
    public byte[] toByteArray() {
      return Arrays.copyOf(buf, count);
    }

    /** Writes one byte. */
    public void write(int b) {
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

    /** Writes a zig-zag varint. */
    public void varlong(long v) {
      long z = (v << 1) ^ (v >> 63);
      while ((z & ~0x7FL) != 0) {
        write((int) ((z & 0x7F) | 0x80));
        z >>>= 7;
      }
      write((int) z);
    }

    /** Writes a string as its UTF-8 length and bytes. */
    public void string(String s) {
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

    /** Writes a canonical value with its tag. */
    public void value(Object v) {
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

  /**
   * Reads what {@link Out} wrote, from one array or from several read one after the other (a
   * value never spans two of them).
   */
  public static final class In {
    private final List<byte[]> parts;
    private int part;
    private byte[] b;
    private int pos;

    /** Reads {@code b}. */
    public In(byte[] b) {
      this(List.of(b));
    }

    /** Reads the parts in order, as one. */
    public In(List<byte[]> parts) {
      this.parts = parts;
      this.b = parts.isEmpty() ? new byte[0] : parts.get(0);
    }

    /** Reads one byte. */
    public int read() {
      while (pos == b.length) {
        if (part + 1 >= parts.size()) {
          throw new IllegalArgumentException("corrupt encoding: ends early");
        }
        b = parts.get(++part);
        pos = 0;
      }
      return b[pos++] & 0xFF;
    }

    /** Whether everything was read. */
    public boolean atEnd() {
      while (pos == b.length && part + 1 < parts.size()) {
        b = parts.get(++part);
        pos = 0;
      }
      return pos == b.length;
    }

    /** Reads a zig-zag varint. */
    public long varlong() {
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

    /** Reads a string. */
    public String string() {
      int n = (int) varlong();
      if (n < 0 || n > b.length - pos) {
        throw new IllegalArgumentException("corrupt encoding: a string runs past its part");
      }
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

    /** Reads a canonical value. */
    public Object value() {
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
          throw new IllegalArgumentException("corrupt encoding: value tag " + tag);
      }
    }
  }
}
