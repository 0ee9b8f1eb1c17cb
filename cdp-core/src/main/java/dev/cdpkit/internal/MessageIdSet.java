package dev.cdpkit.internal;

import com.google.common.hash.HashCode;
import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A set of message ids kept as 128-bit MurmurHash3 fingerprints in open-addressed primitive
 * arrays: 16 bytes an id and one cache line a lookup, where a {@code HashSet<String>} takes some
 * 130 bytes and four. Two different ids share a fingerprint with a probability of about
 * {@code n^2 / 2^129}: below 10^-20 for a billion messages.
 *
 * <p>{@link #add} is not thread-safe: guard it with the lock that guards its store. Any number of
 * threads may call {@link #contains} while no {@code add} runs.
 */
public final class MessageIdSet {
  private static final HashFunction MURMUR = Hashing.murmur3_128();
  private long[] slots = new long[2 * 1024];
  private int size;
  /** The last id hashed with its fingerprint (one object, so racing readers never mix two). */
  private Last last = new Last(null, null);

  private record Last(String id, long[] hash) {}

  /** Whether the id was added before. */
  public boolean contains(String messageId) {
    long[] h = hash(messageId);
    int mask = slots.length / 2 - 1;
    for (int i = (int) h[0] & mask; ; i = (i + 1) & mask) {
      long a = slots[2 * i];
      long b = slots[2 * i + 1];
      if (a == 0 && b == 0) {
        return false;
      }
      if (a == h[0] && b == h[1]) {
        return true;
      }
    }
  }

  /** Adds the id; returns false if it was there already. */
  public boolean add(String messageId) {
    if ((size + 1) * 4L > (slots.length / 2) * 3L) {
      grow();
    }
    long[] h = hash(messageId);
    if (insert(slots, h[0], h[1])) {
      size++;
      return true;
    }
    return false;
  }

  /** The number of ids added. */
  public int size() {
    return size;
  }

  private void grow() {
    long[] old = slots;
    long[] bigger = new long[old.length * 2];
    for (int i = 0; i < old.length; i += 2) {
      if (old[i] != 0 || old[i + 1] != 0) {
        insert(bigger, old[i], old[i + 1]);
      }
    }
    slots = bigger;
  }

  private static boolean insert(long[] table, long a, long b) {
    int mask = table.length / 2 - 1;
    for (int i = (int) a & mask; ; i = (i + 1) & mask) {
      long x = table[2 * i];
      long y = table[2 * i + 1];
      if (x == 0 && y == 0) {
        table[2 * i] = a;
        table[2 * i + 1] = b;
        return true;
      }
      if (x == a && y == b) {
        return false;
      }
    }
  }

  private long[] hash(String messageId) {
    Last l = last;
    if (messageId == l.id()) {
      return l.hash();
    }
    long[] h = fingerprint(messageId);
    last = new Last(messageId, h);
    return h;
  }

  /** The fingerprint; never all zero, which marks an empty slot. */
  private static long[] fingerprint(String messageId) {
    HashCode code = MURMUR.hashUnencodedChars(messageId);
    ByteBuffer bb = ByteBuffer.wrap(code.asBytes()).order(ByteOrder.LITTLE_ENDIAN);
    long a = bb.getLong();
    long b = bb.getLong();
    if (a == 0 && b == 0) {
      b = 1;
    }
    return new long[] {a, b};
  }
}
