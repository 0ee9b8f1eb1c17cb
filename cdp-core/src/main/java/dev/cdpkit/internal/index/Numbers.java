package dev.cdpkit.internal.index;

import java.math.BigDecimal;

/**
 * Exact comparison of numbers whatever their Java type: {@code Long}, {@code Double},
 * {@code BigDecimal} and {@link Mean}. A long and a double compare as the decimals they are;
 * {@code -0.0} equals {@code 0}.
 */
public final class Numbers {
  private static final long EXACT_DOUBLE = 1L << 53;

  private Numbers() {}

  /** Compares two numbers exactly. */
  public static int compare(Number a, Number b) {
    if (a instanceof Long && b instanceof Long) {
      return Long.compare(a.longValue(), b.longValue());
    }
    if (a instanceof Double && b instanceof Double) {
      return compareDoubles(a.doubleValue(), b.doubleValue());
    }
    if (a instanceof Mean) {
      return ((Mean) a).compareTo(b);
    }
    if (b instanceof Mean) {
      return -((Mean) b).compareTo(a);
    }
    if (a instanceof Long && b instanceof Double && Math.abs(a.longValue()) <= EXACT_DOUBLE) {
      return compareDoubles(a.longValue(), b.doubleValue());
    }
    if (a instanceof Double && b instanceof Long && Math.abs(b.longValue()) <= EXACT_DOUBLE) {
      return compareDoubles(a.doubleValue(), b.longValue());
    }
    return decimal(a).compareTo(decimal(b));
  }

  private static int compareDoubles(double x, double y) {
    return x < y ? -1 : x > y ? 1 : 0;
  }

  /** The exact decimal value of a number. */
  public static BigDecimal decimal(Number n) {
    if (n instanceof Long || n instanceof Integer) {
      return BigDecimal.valueOf(n.longValue());
    }
    if (n instanceof BigDecimal) {
      return (BigDecimal) n;
    }
    if (n instanceof Mean) {
      throw new IllegalArgumentException("a mean has no exact decimal: " + n);
    }
    return new BigDecimal(n.doubleValue());
  }

  /** The exact sum of numbers: a {@code Long} while it fits, else a {@code BigDecimal}. */
  public static Number add(Number sum, Number v) {
    if (sum instanceof Long && v instanceof Long) {
      long a = sum.longValue();
      long b = v.longValue();
      long r = a + b;
      if (((a ^ r) & (b ^ r)) >= 0) {
        return r;
      }
    }
    return decimal(sum).add(decimal(v));
  }

  /**
   * The mean of events' values, kept exactly as a sum and a count so that comparing it with a
   * literal is exact: {@code sum / n op x} is {@code sum op x * n}. Immutable.
   */
  public static final class Mean extends Number {
    private static final long serialVersionUID = 1L;
    private final BigDecimal sum;
    private final long n;

    /** The mean of {@code n > 0} values adding up to {@code sum}. */
    public Mean(Number sum, long n) {
      if (n <= 0) {
        throw new IllegalArgumentException("a mean of no values: " + n);
      }
      this.sum = decimal(sum);
      this.n = n;
    }

    int compareTo(Number other) {
      if (other instanceof Mean) {
        Mean m = (Mean) other;
        return sum.multiply(BigDecimal.valueOf(m.n)).compareTo(m.sum.multiply(BigDecimal.valueOf(n)));
      }
      return sum.compareTo(decimal(other).multiply(BigDecimal.valueOf(n)));
    }

    @Override
    public double doubleValue() {
      return sum.doubleValue() / n;
    }

    @Override
    public float floatValue() {
      return (float) doubleValue();
    }

    @Override
    public long longValue() {
      return (long) doubleValue();
    }

    @Override
    public int intValue() {
      return (int) doubleValue();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Mean && compareTo((Mean) o) == 0;
    }

    @Override
    public int hashCode() {
      return Double.hashCode(doubleValue());
    }

    @Override
    public String toString() {
      return sum + "/" + n;
    }
  }
}
