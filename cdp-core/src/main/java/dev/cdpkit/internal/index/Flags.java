package dev.cdpkit.internal.index;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.roaringbitmap.RoaringBitmap;

/**
 * Named sets of rows, each row in any number of them: the identifier types a profile has, the
 * purposes it consented to, the accounts it belongs to.
 *
 * <p>Not thread-safe: the engine guards it.
 */
final class Flags {
  private static final String[] NONE = {};
  private final Map<String, RoaringBitmap> sets = new HashMap<>();
  private String[][] rowNames = new String[16][];

  /** Puts the row in exactly the sets {@code names}; whether it was in other sets before. */
  boolean set(int row, Set<String> names) {
    if (row >= rowNames.length) {
      rowNames = Arrays.copyOf(rowNames, Math.max(row + 1, rowNames.length * 2));
    }
    String[] old = rowNames[row] == null ? NONE : rowNames[row];
    boolean changed = old.length != names.size();
    for (String n : old) {
      if (!names.contains(n)) {
        sets.get(n).remove(row);
        changed = true;
      }
    }
    for (String n : names) {
      sets.computeIfAbsent(n, k -> new RoaringBitmap()).add(row);
    }
    rowNames[row] = names.isEmpty() ? NONE : names.toArray(NONE);
    return changed;
  }

  /** The names of the sets the row is in. */
  String[] names(int row) {
    return row < rowNames.length && rowNames[row] != null ? rowNames[row] : NONE;
  }

  /** The rows in the named set. Live view: do not modify. */
  RoaringBitmap rows(String name) {
    RoaringBitmap b = sets.get(name);
    return b != null ? b : new RoaringBitmap();
  }

  long indexBytes() {
    long bytes = 0;
    for (RoaringBitmap b : sets.values()) {
      bytes += b.getLongSizeInBytes();
    }
    return bytes;
  }
}
