package dev.cdpkit.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A small property-based test runner: generates inputs from seeded randomness, checks a property
 * on each, and on failure shrinks the input (for lists: by dropping elements) and reports the seed
 * that replays it.
 *
 * <p>Runs are reproducible: the seeds derive from {@code -Dcdpkit.seed} (default fixed), and
 * {@code -Dcdpkit.tries} sets how many inputs each property sees (default 200). To replay a
 * failure, run with the seed and {@code -Dcdpkit.tries=1} as the failure message says.
 */
public final class PropertyCheck {
  private static final long BASE_SEED = Long.getLong("cdpkit.seed", 20261203L);
  private static final int TRIES = Integer.getInteger("cdpkit.tries", 200);

  private PropertyCheck() {}

  /** Checks {@code property} on generated lists, shrinking a failing list element by element. */
  public static <T> void forAllLists(Function<Random, List<T>> generator,
      Consumer<List<T>> property) {
    forAll(TRIES, generator, PropertyCheck::shrinkList, property);
  }

  /** Checks {@code property} on {@code tries} generated inputs. */
  public static <T> void forAll(int tries, Function<Random, T> generator,
      Function<T, List<T>> shrinks, Consumer<T> property) {
    for (int i = 0; i < tries; i++) {
      long seed = BASE_SEED + i;
      T input = generator.apply(new Random(seed));
      Throwable failure = failure(property, input);
      if (failure != null) {
        T smallest = input;
        boolean progress = true;
        while (progress) {
          progress = false;
          for (T candidate : shrinks.apply(smallest)) {
            Throwable f = failure(property, candidate);
            if (f != null) {
              smallest = candidate;
              failure = f;
              progress = true;
              break;
            }
          }
        }
        AssertionError e = new AssertionError("property failed for seed " + seed + " (try " + i
            + "; replay with -Dcdpkit.seed=" + seed + " -Dcdpkit.tries=1)\nsmallest failing input: "
            + smallest + "\n" + failure.getMessage(), failure);
        throw e;
      }
    }
  }

  private static <T> Throwable failure(Consumer<T> property, T input) {
    try {
      property.accept(input);
      return null;
    } catch (AssertionError | RuntimeException e) {
      return e;
    }
  }

  /** Shorter lists: halves first, then each element removed. */
  public static <T> List<List<T>> shrinkList(List<T> list) {
    List<List<T>> out = new ArrayList<>();
    int n = list.size();
    if (n >= 2) {
      out.add(new ArrayList<>(list.subList(0, n / 2)));
      out.add(new ArrayList<>(list.subList(n / 2, n)));
    }
    for (int i = 0; i < n; i++) {
      List<T> copy = new ArrayList<>(list);
      copy.remove(i);
      out.add(copy);
    }
    return out;
  }
}
