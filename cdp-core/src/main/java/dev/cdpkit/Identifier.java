package dev.cdpkit;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * A typed identifier of a person: {@code user_id}, {@code anonymous_id}, {@code email},
 * {@code phone}, {@code device_id}, or any custom type such as {@code salesforce_id}.
 *
 * <p>{@link #of(String, String)} normalizes: the type is trimmed and lower-cased; an email is trimmed
 * and lower-cased; a phone keeps a leading {@code +} and its digits only; any other value is
 * trimmed. Two identifiers are equal when their normalized type and value are.
 *
 * <p>Immutable and thread-safe.
 *
 * @param type the identifier type, lower case
 * @param value the normalized value, never blank
 */
public record Identifier(String type, String value) implements Comparable<Identifier> {

  /** The type of a product's own user id (Segment {@code userId}). */
  public static final String USER_ID = "user_id";
  /** The type of an anonymous visitor id (Segment {@code anonymousId}). */
  public static final String ANONYMOUS_ID = "anonymous_id";
  /** The type of an email address. */
  public static final String EMAIL = "email";
  /** The type of a phone number. */
  public static final String PHONE = "phone";
  /** The type of a device id (Segment {@code context.device.id}). */
  public static final String DEVICE_ID = "device_id";

  /**
   * Checks that {@code type} and {@code value} are already normalized; use {@link #of} to build one
   * from raw input.
   */
  public Identifier {
    requireNonNull(type, "type");
    requireNonNull(value, "value");
    if (!type.equals(normalizeType(type))) {
      throw new IllegalArgumentException(
          "identifier type is not normalized (lower case, no surrounding spaces): '" + type + "'");
    }
    if (!value.equals(normalizeValue(type, value))) {
      throw new IllegalArgumentException(
          "identifier value is not normalized for type " + type + ": '" + value
              + "'; use Identifier.of(type, value)");
    }
  }

  /**
   * Returns the identifier of the given type and value, normalized.
   *
   * @throws IllegalArgumentException if the type is not a lower-case word of letters, digits,
   *     {@code _}, {@code -} or {@code .}, or if the value is blank after normalization (a phone
   *     without digits, for example)
   */
  public static Identifier of(String type, String value) {
    requireNonNull(type, "type");
    requireNonNull(value, "value");
    String t = normalizeType(type);
    return new Identifier(t, normalizeValue(t, value));
  }

  static String normalizeType(String type) {
    String t = type.trim().toLowerCase(Locale.ROOT);
    if (t.isEmpty()) {
      throw new IllegalArgumentException("identifier type is blank");
    }
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'
          || c == '.';
      if (!ok) {
        throw new IllegalArgumentException(
            "identifier type may hold only letters, digits, '_', '-' and '.': '" + type + "'");
      }
    }
    return t;
  }

  private static String normalizeValue(String type, String value) {
    String v;
    switch (type) {
      case EMAIL:
        v = value.strip().toLowerCase(Locale.ROOT);
        break;
      case PHONE:
        v = normalizePhone(value);
        break;
      default:
        v = value.strip();
        break;
    }
    if (v.isEmpty()) {
      throw new IllegalArgumentException("identifier " + type + " has no usable value: '" + value
          + "'" + (PHONE.equals(type) ? " (a phone needs digits)" : ""));
    }
    return v;
  }

  private static String normalizePhone(String value) {
    String s = value.strip();
    StringBuilder sb = new StringBuilder(s.length());
    boolean plus = s.startsWith("+");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        sb.append(c);
      }
    }
    if (sb.length() == 0) {
      return "";
    }
    return plus ? "+" + sb : sb.toString();
  }

  /** Orders by type, then value. */
  @Override
  public int compareTo(Identifier o) {
    int c = type.compareTo(o.type);
    return c != 0 ? c : value.compareTo(o.value);
  }

  /** {@code type:value}, for logs and messages. */
  @Override
  public String toString() {
    return type + ":" + value;
  }
}
