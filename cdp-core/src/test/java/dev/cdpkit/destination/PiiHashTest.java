package dev.cdpkit.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Hashing against published vectors: SHA-256 of the normalized identifier, in hex. */
class PiiHashTest {
  /** SHA-256("test@example.com"), as in Google's Customer Match formatting guidelines. */
  private static final String TEST_AT_EXAMPLE =
      "973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b";

  @Test
  void emailsAreTrimmedAndLowerCasedBeforeHashing() {
    assertThat(PiiHash.sha256("test@example.com")).isEqualTo(TEST_AT_EXAMPLE);
    assertThat(PiiHash.hashEmail("test@example.com")).isEqualTo(TEST_AT_EXAMPLE);
    assertThat(PiiHash.hashEmail("  Test@Example.COM\t")).isEqualTo(TEST_AT_EXAMPLE);
    assertThat(PiiHash.hash("email", "TEST@example.com ")).isEqualTo(TEST_AT_EXAMPLE);
  }

  @Test
  void aDigestIsNotHashedTwice() {
    assertThat(PiiHash.hashEmail(TEST_AT_EXAMPLE.toUpperCase())).isEqualTo(TEST_AT_EXAMPLE);
    assertThat(PiiHash.hashPhone(" " + TEST_AT_EXAMPLE)).isEqualTo(TEST_AT_EXAMPLE);
    assertThat(PiiHash.isSha256Hex(TEST_AT_EXAMPLE)).isTrue();
    assertThat(PiiHash.isSha256Hex(TEST_AT_EXAMPLE.substring(1))).isFalse();
  }

  @Test
  void phonesAreE164() {
    assertThat(PiiHash.normalizePhone("+1 (555) 123-4567")).isEqualTo("+15551234567");
    assertThat(PiiHash.normalizePhone("0044 20 7946 0958")).isEqualTo("+442079460958");
    assertThat(PiiHash.normalizePhone("+44.20.7946.0958")).isEqualTo("+442079460958");
    // sha256("+15551234567"), computed with sha256sum
    assertThat(PiiHash.hashPhone("+1 555-123-4567"))
        .isEqualTo("8a59780bb8cd2ba022bfa5ba2ea3b6e07af17a7d8b30c1f9b3390e36f69019e4");
    assertThatThrownBy(() -> PiiHash.normalizePhone("call me"))
        .hasMessageContaining("'call me'");
    assertThatThrownBy(() -> PiiHash.normalizePhone("+1234567890123456"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
