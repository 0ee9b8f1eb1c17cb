package dev.cdpkit.internal;


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

  /** Adds the id; returns false if it was there already. Not thread-safe, as {@link #remove}. */
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

  /** Removes the id (a forgotten message); returns whether it was there. */
  public boolean remove(String messageId) {
    long[] h = hash(messageId);
    int mask = slots.length / 2 - 1;
    int i = (int) h[0] & mask;
    while (true) {
      long a = slots[2 * i];
      long b = slots[2 * i + 1];
      if (a == 0 && b == 0) {
        return false;
      }
      if (a == h[0] && b == h[1]) {
        break;
      }
      i = (i + 1) & mask;
    }
    // close the gap: move back each later entry of the run that may not stay where it is
    for (int j = (i + 1) & mask; ; j = (j + 1) & mask) {
      long a = slots[2 * j];
      long b = slots[2 * j + 1];
      if (a == 0 && b == 0) {
        break;
      }
      int home = (int) a & mask;
      boolean stays = i <= j ? i < home && home <= j : i < home || home <= j;
      if (!stays) {
        slots[2 * i] = a;
        slots[2 * i + 1] = b;
        i = j;
      }
    }
    slots[2 * i] = 0;
    slots[2 * i + 1] = 0;
    size--;
    return true;
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

  /**
   * The fingerprint: MurmurHash3 x64 128 of the id's UTF-16 code units (as Guava's
   * {@code hashUnencodedChars}), without allocating; never all zero, which marks an empty slot.
   */
  private static long[] fingerprint(String messageId) {
    long h1 = 0;
    long h2 = 0;
    int n = messageId.length();
    int i = 0;
    // 8 chars = 16 bytes a block, little-endian
    for (; i + 8 <= n; i += 8) {
      long k1 = chars(messageId, i);
      long k2 = chars(messageId, i + 4);
      h1 ^= mixK1(k1);
      h1 = Long.rotateLeft(h1, 27);
      h1 += h2;
      h1 = h1 * 5 + 0x52dce729;
      h2 ^= mixK2(k2);
      h2 = Long.rotateLeft(h2, 31);
      h2 += h1;
      h2 = h2 * 5 + 0x38495ab5;
    }
    long k1 = 0;
    long k2 = 0;
    int rest = n - i;
    for (int j = rest - 1; j >= 4; j--) {
      k2 = (k2 << 16) | messageId.charAt(i + j);
    }
    for (int j = Math.min(rest, 4) - 1; j >= 0; j--) {
      k1 = (k1 << 16) | messageId.charAt(i + j);
    }
    if (rest > 4) {
      h2 ^= mixK2(k2);
    }
    if (rest > 0) {
      h1 ^= mixK1(k1);
    }
    long length = 2L * n;
    h1 ^= length;
    h2 ^= length;
    h1 += h2;
    h2 += h1;
    h1 = fmix64(h1);
    h2 = fmix64(h2);
    h1 += h2;
    h2 += h1;
    if (h1 == 0 && h2 == 0) {
      h2 = 1;
    }
    return new long[] {h1, h2};
  }

  private static long chars(String s, int at) {
    return s.charAt(at) | ((long) s.charAt(at + 1) << 16) | ((long) s.charAt(at + 2) << 32)
        | ((long) s.charAt(at + 3) << 48);
  }

  private static long mixK1(long k1) {
    k1 *= 0x87c37b91114253d5L;
    k1 = Long.rotateLeft(k1, 31);
    return k1 * 0x4cf5ad432745937fL;
  }

  private static long mixK2(long k2) {
    k2 *= 0x4cf5ad432745937fL;
    k2 = Long.rotateLeft(k2, 33);
    return k2 * 0x87c37b91114253d5L;
  }

  private static long fmix64(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    return k ^ (k >>> 33);
  }
}
