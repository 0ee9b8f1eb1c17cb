package dev.cdpkit.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Trait and property values: JSON-like, immutable. Strings, {@code Long}, {@code Double},
 * {@code Boolean}, immutable {@code List}s and {@code Map}s of those. Not part of the public API.
 */
public final class Values {
  private static final Long[] SMALL_LONGS = new Long[1024];

  static {
    for (int i = 0; i < SMALL_LONGS.length; i++) {
      SMALL_LONGS[i] = (long) i;
    }
  }

  private Values() {}

  /** A boxed long, sharing instances for small values. */
  public static Long boxLong(long v) {
    return v >= 0 && v < SMALL_LONGS.length ? SMALL_LONGS[(int) v] : Long.valueOf(v);
  }

  /**
   * Converts a Java value to the canonical JSON-like form, or returns {@code null} for null (a trait
   * set to null is unset). Integral numbers become {@code Long}, others {@code Double}; times become
   * ISO-8601 strings; collections are copied into immutable ones, dropping null elements.
   *
   * @throws IllegalArgumentException for a value of any other type, naming {@code what}
   */
  public static Object normalize(String what, Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof String || value instanceof Boolean || value instanceof Long
        || value instanceof Double) {
      return value;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return boxLong(((Number) value).longValue());
    }
    if (value instanceof Float) {
      return ((Float) value).doubleValue();
    }
    if (value instanceof BigInteger) {
      BigInteger b = (BigInteger) value;
      return b.bitLength() < 64 ? (Object) b.longValue() : (Object) b.doubleValue();
    }
    if (value instanceof BigDecimal) {
      BigDecimal d = (BigDecimal) value;
      try {
        return d.longValueExact();
      } catch (ArithmeticException notIntegral) {
        return d.doubleValue();
      }
    }
    if (value instanceof Instant || value instanceof OffsetDateTime
        || value instanceof ZonedDateTime) {
      Instant i = value instanceof Instant ? (Instant) value
          : value instanceof OffsetDateTime ? ((OffsetDateTime) value).toInstant()
          : ((ZonedDateTime) value).toInstant();
      return i.toString();
    }
    if (value instanceof Map) {
      Map<?, ?> m = (Map<?, ?>) value;
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!(e.getKey() instanceof String)) {
          throw new IllegalArgumentException(what + " has a non-string key: " + e.getKey());
        }
        Object v = normalize(what + "." + e.getKey(), e.getValue());
        if (v != null) {
          out.put((String) e.getKey(), v);
        }
      }
      return Collections.unmodifiableMap(out);
    }
    if (value instanceof Collection || value instanceof Object[]) {
      Collection<?> c = value instanceof Object[] ? List.of((Object[]) value) : (Collection<?>) value;
      List<Object> out = new ArrayList<>(c.size());
      int i = 0;
      for (Object o : c) {
        Object v = normalize(what + "[" + i++ + "]", o);
        if (v != null) {
          out.add(v);
        }
      }
      return Collections.unmodifiableList(out);
    }
    throw new IllegalArgumentException(what + " has an unsupported value type "
        + value.getClass().getName() + ": use a String, number, Boolean, time, List or Map");
  }

  /**
   * Looks up a dotted path in a map of values: the exact key first, then nested maps one segment at
   * a time.
   */
  public static Optional<Object> path(Map<String, ?> values, String path) {
    Object direct = values.get(path);
    if (direct != null) {
      return Optional.of(direct);
    }
    int dot = path.indexOf('.');
    while (dot > 0) {
      Object head = values.get(path.substring(0, dot));
      if (head instanceof Map) {
        @SuppressWarnings("unchecked")
        Map<String, ?> nested = (Map<String, ?>) head;
        Optional<Object> found = path(nested, path.substring(dot + 1));
        if (found.isPresent()) {
          return found;
        }
      }
      dot = path.indexOf('.', dot + 1);
    }
    return Optional.empty();
  }
}
