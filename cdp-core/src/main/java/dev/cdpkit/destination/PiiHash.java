package dev.cdpkit.destination;

import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Normalization and SHA-256 hashing of personal identifiers as ad networks match them (Google
 * Customer Match, Meta custom audiences): emails trimmed and lower-cased; phone numbers in E.164
 * ({@code +} and digits, country code first); the digest in lower-case hex. A value that is
 * already a SHA-256 hex digest is not hashed again. Thread-safe (stateless).
 */
public final class PiiHash {
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

  private PiiHash() {}

  /** An email as matching wants it: trimmed, lower-cased. */
  public static String normalizeEmail(String email) {
    return email.strip().toLowerCase(Locale.ROOT);
  }

  /**
   * A phone number in E.164: {@code +} and its digits, without spaces, dashes, dots or
   * brackets; {@code 00} as an international prefix becomes {@code +}. A number without a
   * country code cannot be told from one with it, so give numbers with their country code.
   *
   * @throws IllegalArgumentException if it has no digits, or more than 15
   */
  public static String normalizePhone(String phone) {
    String s = phone.strip();
    StringBuilder digits = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        digits.append(c);
      }
    }
    if (!s.startsWith("+") && digits.length() > 2 && digits.charAt(0) == '0'
        && digits.charAt(1) == '0') {
      digits.delete(0, 2);
    }
    if (digits.length() == 0 || digits.length() > 15) {
      throw new IllegalArgumentException("not a phone number in E.164 (1 to 15 digits with the"
          + " country code): '" + phone + "'");
    }
    return "+" + digits;
  }

  /** Whether a value is already a SHA-256 digest in hex. */
  public static boolean isSha256Hex(String value) {
    return SHA256_HEX.matcher(value).matches();
  }

  /** The lower-case hex SHA-256 of the UTF-8 bytes of {@code value}. */
  public static String sha256(String value) {
    return Hashing.sha256().hashString(value, StandardCharsets.UTF_8).toString();
  }

  /** The hashed email: normalized, then SHA-256; a digest is kept (lower-cased). */
  public static String hashEmail(String email) {
    return isSha256Hex(email.strip()) ? email.strip().toLowerCase(Locale.ROOT)
        : sha256(normalizeEmail(email));
  }

  /** The hashed phone: E.164, then SHA-256; a digest is kept (lower-cased). */
  public static String hashPhone(String phone) {
    return isSha256Hex(phone.strip()) ? phone.strip().toLowerCase(Locale.ROOT)
        : sha256(normalizePhone(phone));
  }

  /**
   * Hashes an identifier of a type: emails and phones as above; any other type trimmed and
   * hashed as it is (a digest kept).
   */
  public static String hash(String type, String value) {
    switch (type) {
      case "email":
        return hashEmail(value);
      case "phone":
        return hashPhone(value);
      default:
        return isSha256Hex(value.strip()) ? value.strip().toLowerCase(Locale.ROOT)
            : sha256(value.strip());
    }
  }
}
