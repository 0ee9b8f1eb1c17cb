package dev.cdpkit.internal.index;

import dev.cdpkit.internal.Values;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.roaringbitmap.RoaringBitmap;

/**
 * Rows (profiles, or accounts) with their traits in one {@link TraitColumn} per path. A nested
 * trait is reachable by every dotted path that {@link Values#path} resolves, so
 * {@code address.city} is a column of its own beside {@code address}.
 *
 * <p>Not thread-safe: the engine guards it.
 */
final class Table {
  private final RoaringBitmap live = new RoaringBitmap();
  private final Map<String, TraitColumn> columns = new HashMap<>();
  /** Per row, the columns it has a value in, to clear them when the traits change. */
  private TraitColumn[][] rowColumns = new TraitColumn[16][];
  private static final TraitColumn[] NONE = {};
  private int rows;

  /** A new live row. */
  int add() {
    int row = rows++;
    live.add(row);
    return row;
  }

  /** The live rows. Live view: do not modify. */
  RoaringBitmap live() {
    return live;
  }

  int rows() {
    return rows;
  }

  /**
   * Replaces the traits of a row (its columns' values); {@code changed} is told each path whose
   * value changed.
   */
  void setTraits(int row, Map<String, Object> traits, Consumer<String> changed) {
    if (row >= rowColumns.length) {
      rowColumns = Arrays.copyOf(rowColumns, Math.max(row + 1, rowColumns.length * 2));
    }
    TraitColumn[] old = rowColumns[row] == null ? NONE : rowColumns[row];
    Set<String> paths = new LinkedHashSet<>();
    paths(traits, "", paths);
    List<TraitColumn> now = new ArrayList<>(paths.size());
    for (String p : paths) {
      TraitColumn c = columns.computeIfAbsent(p, k -> new TraitColumn(k));
      if (c.set(row, Values.path(traits, p).orElse(null))) {
        changed.accept(p);
      }
      now.add(c);
    }
    for (TraitColumn c : old) {
      if (!now.contains(c) && c.clear(row)) {
        changed.accept(c.path());
      }
    }
    rowColumns[row] = now.isEmpty() ? NONE : now.toArray(NONE);
  }

  /** Sets one trait of a row, without touching the others; for bulk loading. */
  void setTrait(int row, String path, Object value) {
    if (row >= rowColumns.length) {
      rowColumns = Arrays.copyOf(rowColumns, Math.max(row + 1, rowColumns.length * 2));
    }
    TraitColumn c = columns.computeIfAbsent(path, k -> new TraitColumn(k));
    c.set(row, value);
    TraitColumn[] old = rowColumns[row] == null ? NONE : rowColumns[row];
    if (!Arrays.asList(old).contains(c)) {
      TraitColumn[] grown = Arrays.copyOf(old, old.length + 1);
      grown[old.length] = c;
      rowColumns[row] = grown;
    }
  }

  /**
   * Calls {@code action} with each path the row has a value under and the value as its column
   * keeps it (see {@link TraitColumn#get}), in an order in which {@link #setTrait} restores them.
   */
  void forEachValue(int row, BiConsumer<String, Object> action) {
    if (row >= rowColumns.length || rowColumns[row] == null) {
      return;
    }
    for (TraitColumn c : rowColumns[row]) {
      Object v = c.get(row);
      if (v != null) {
        action.accept(c.path(), v);
      }
    }
  }

  /** Takes a row out: it is no longer live and has no values. */
  void remove(int row) {
    if (!live.checkedRemove(row)) {
      return;
    }
    if (row < rowColumns.length && rowColumns[row] != null) {
      for (TraitColumn c : rowColumns[row]) {
        c.clear(row);
      }
      rowColumns[row] = null;
    }
  }

  /** The column of a path, or null when no row ever had it. */
  TraitColumn column(String path) {
    return columns.get(path);
  }

  void maintain() {
    for (TraitColumn c : columns.values()) {
      c.maintain();
    }
  }

  void rebuild() {
    live.runOptimize();
    for (TraitColumn c : columns.values()) {
      c.rebuild();
    }
  }

  long indexBytes() {
    long bytes = live.getLongSizeInBytes();
    for (TraitColumn c : columns.values()) {
      bytes += c.indexBytes();
    }
    return bytes;
  }

  /** Every dotted path under which {@link Values#path} can find something in {@code values}. */
  static void paths(Map<String, ?> values, String prefix, Set<String> out) {
    for (Map.Entry<String, ?> e : values.entrySet()) {
      if (e.getValue() == null) {
        continue;
      }
      String p = prefix + e.getKey();
      out.add(p);
      if (e.getValue() instanceof Map) {
        @SuppressWarnings("unchecked")
        Map<String, ?> nested = (Map<String, ?>) e.getValue();
        paths(nested, p + ".", out);
      }
    }
  }
}
