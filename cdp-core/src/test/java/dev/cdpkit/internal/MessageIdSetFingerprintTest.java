package dev.cdpkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.hash.Hashing;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The allocation-free fingerprint equals Guava's MurmurHash3 x64 128 of the same chars. */
class MessageIdSetFingerprintTest {

  @Test
  void equalsGuavaMurmur3() throws Exception {
    Method fingerprint = MessageIdSet.class.getDeclaredMethod("fingerprint", String.class);
    fingerprint.setAccessible(true);
    Random r = new Random(9);
    for (int n = 0; n < 20_000; n++) {
      StringBuilder sb = new StringBuilder();
      for (int k = r.nextInt(40); k > 0; k--) {
        sb.append((char) (r.nextBoolean() ? 'a' + r.nextInt(26) : r.nextInt(0x10000)));
      }
      String id = sb.toString();
      ByteBuffer expected = ByteBuffer.wrap(Hashing.murmur3_128().hashUnencodedChars(id)
          .asBytes()).order(ByteOrder.LITTLE_ENDIAN);
      long a = expected.getLong();
      long b = expected.getLong();
      long[] actual = (long[]) fingerprint.invoke(null, id);
      if (a == 0 && b == 0) {
        b = 1;
      }
      assertThat(actual).as(id).containsExactly(a, b);
    }
  }
}
