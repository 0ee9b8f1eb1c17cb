package dev.cdpkit;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The rules identity resolution follows: which identifier types win a conflict (priority), how
 * many values of a type one profile may hold (limits), which values never match or merge (blocked
 * values), and how values are normalized.
 *
 * <p>{@link #builder()} starts empty: no limits and no blocked values. {@link #defaults()} gives the
 * rules the best CDPs converged on: priority {@code user_id, email, phone, device_id,
 * anonymous_id}; at most one {@code user_id} and five values of every other type per profile; and,
 * for every type, the placeholder values {@code "", null, undefined, anonymous, unknown, -1, 0}
 * (any case) and the pattern {@code ^[0-]*$} blocked. A block or pattern given for the type
 * {@link #ANY_TYPE} applies to every type; a value blocked for {@code ANY_TYPE} matches in any
 * case.
 *
 * <p>Types not named in {@link Builder#priority} rank after those named, alphabetically; values of
 * one type rank by their natural order.
 *
 * <p>Immutable and thread-safe.
 */
public final class IdentityRules {
  /** The type that stands for every type in {@link Builder#block} and {@link Builder#blockPattern}. */
  public static final String ANY_TYPE = "*";

  private static final IdentityRules DEFAULTS = builder()
      .priority(Identifier.USER_ID, Identifier.EMAIL, Identifier.PHONE, Identifier.DEVICE_ID,
          Identifier.ANONYMOUS_ID)
      .limit(Identifier.USER_ID, 1)
      .defaultLimit(5)
      .block(ANY_TYPE, "null")
      .block(ANY_TYPE, "undefined")
      .block(ANY_TYPE, "anonymous")
      .block(ANY_TYPE, "unknown")
      .block(ANY_TYPE, "-1")
      .block(ANY_TYPE, "0")
      .blockPattern(ANY_TYPE, "^[0-]*$")
      .build();

  private final List<String> priority;
  private final Map<String, Integer> rank;
  private final Map<String, Integer> limits;
  private final int defaultLimit;
  private final Map<String, Set<String>> blocked;
  private final Set<String> blockedAnyCase;
  private final int longestAnyCase;
  private final Map<String, List<ValuePattern>> blockedPatterns;
  private final Map<String, List<String>> patternText;
  private final Map<String, UnaryOperator<String>> normalizers;

  private IdentityRules(Builder b) {
    this.priority = List.copyOf(b.priority);
    Map<String, Integer> r = new HashMap<>();
    for (int i = 0; i < priority.size(); i++) {
      r.put(priority.get(i), i);
    }
    this.rank = Map.copyOf(r);
    this.limits = Map.copyOf(b.limits);
    this.defaultLimit = b.defaultLimit;
    Map<String, Set<String>> bl = new HashMap<>();
    b.blocked.forEach((t, v) -> {
      if (!t.equals(ANY_TYPE)) {
        bl.put(t, Set.copyOf(v));
      }
    });
    this.blocked = Map.copyOf(bl);
    Set<String> any = new HashSet<>();
    b.blocked.getOrDefault(ANY_TYPE, Set.of()).forEach(v -> any.add(v.toLowerCase(Locale.ROOT)));
    this.blockedAnyCase = Set.copyOf(any);
    this.longestAnyCase = any.stream().mapToInt(String::length).max().orElse(-1);
    Map<String, List<String>> text = new HashMap<>();
    b.patterns.forEach((t, v) -> text.put(t, v.stream().map(Pattern::pattern).toList()));
    this.patternText = Map.copyOf(text);
    Map<String, List<ValuePattern>> bp = new HashMap<>();
    b.patterns.forEach((t, v) -> {
      List<ValuePattern> compiled = new ArrayList<>();
      v.forEach(p -> compiled.add(ValuePattern.of(p)));
      bp.put(t, List.copyOf(compiled));
    });
    this.blockedPatterns = Map.copyOf(bp);
    this.normalizers = Map.copyOf(b.normalizers);
  }

  /** The defaults described above. */
  public static IdentityRules defaults() {
    return DEFAULTS;
  }

  /** Starts empty rules: no priority, no limits, no blocked values, built-in normalization. */
  public static Builder builder() {
    return new Builder();
  }

  /** The types named in priority order, highest first. */
  public List<String> priority() {
    return priority;
  }

  /**
   * How many values of {@code type} one profile may hold; {@link Integer#MAX_VALUE} when
   * unlimited.
   */
  public int limit(String type) {
    return limits.getOrDefault(requireNonNull(type, "type"), defaultLimit);
  }

  /** Whether the rules block this (normalized) identifier: it never matches or merges. */
  public boolean isBlocked(Identifier identifier) {
    String v = identifier.value();
    if (v.length() <= longestAnyCase && blockedAnyCase.contains(v.toLowerCase(Locale.ROOT))) {
      return true;
    }
    Set<String> values = blocked.get(identifier.type());
    if (values != null && values.contains(v)) {
      return true;
    }
    return matches(blockedPatterns.get(identifier.type()), v)
        || matches(blockedPatterns.get(ANY_TYPE), v);
  }

  private static boolean matches(List<ValuePattern> patterns, String value) {
    if (patterns != null) {
      for (ValuePattern p : patterns) {
        if (p.test(value)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * A blocking regex. The common shape {@code ^[chars]*$} (or {@code +}), with literal characters
   * and at most a trailing {@code -}, is checked with a loop over the value, many times faster than
   * a regex; every other one runs as a regex.
   */
  private interface ValuePattern {
    Pattern CHAR_CLASS = Pattern.compile("\\^\\[([^\\]\\\\^-]*-?)\\]([*+])\\$");

    boolean test(String value);

    static ValuePattern of(Pattern p) {
      java.util.regex.Matcher m = CHAR_CLASS.matcher(p.pattern());
      if (p.flags() != 0 || !m.matches() || m.group(1).isEmpty()) {
        return value -> p.matcher(value).find();
      }
      String chars = m.group(1);
      boolean atLeastOne = m.group(2).equals("+");
      return value -> {
        if (atLeastOne && value.isEmpty()) {
          return false;
        }
        for (int i = 0; i < value.length(); i++) {
          if (chars.indexOf(value.charAt(i)) < 0) {
            return false;
          }
        }
        return true;
      };
    }
  }

  /**
   * Applies the custom normalizer of the identifier's type, if any, on top of the built-in one;
   * returns the identifier itself when there is none.
   *
   * @throws IllegalArgumentException if the normalizer leaves no usable value
   */
  public Identifier normalize(Identifier identifier) {
    UnaryOperator<String> n = normalizers.get(identifier.type());
    if (n == null) {
      return identifier;
    }
    String v = n.apply(identifier.value());
    if (v == null) {
      throw new IllegalArgumentException("the normalizer of " + identifier.type()
          + " returned null for '" + identifier.value() + "'");
    }
    return Identifier.of(identifier.type(), v);
  }

  /**
   * Orders identifiers from highest priority to lowest: by the rank of their type, then by value.
   */
  public int compare(Identifier a, Identifier b) {
    int c = compareTypes(a.type(), b.type());
    return c != 0 ? c : a.value().compareTo(b.value());
  }

  private int compareTypes(String a, String b) {
    Integer ra = rank.get(a);
    Integer rb = rank.get(b);
    if (ra != null && rb != null) {
      return Integer.compare(ra, rb);
    }
    if (ra != null) {
      return -1;
    }
    if (rb != null) {
      return 1;
    }
    return a.compareTo(b);
  }

  @Override
  public String toString() {
    return "IdentityRules{priority=" + priority + ", limits=" + limits + ", defaultLimit="
        + (defaultLimit == Integer.MAX_VALUE ? "none" : defaultLimit) + ", blocked=" + blocked
        + ", blockedInAnyType=" + blockedAnyCase + ", blockedPatterns=" + patternText
        + ", normalizers=" + normalizers.keySet() + "}";
  }

  /**
   * Builds {@link IdentityRules}; starts with no priority, no limits and no blocked values.
   *
   * <p>Not thread-safe.
   */
  public static final class Builder {
    private final List<String> priority = new ArrayList<>();
    private final Map<String, Integer> limits = new LinkedHashMap<>();
    private int defaultLimit = Integer.MAX_VALUE;
    private boolean defaultLimitSet;
    private final Map<String, Set<String>> blocked = new LinkedHashMap<>();
    private final Map<String, List<Pattern>> patterns = new LinkedHashMap<>();
    private final Map<String, UnaryOperator<String>> normalizers = new LinkedHashMap<>();

    private Builder() {}

    /** The identifier types in priority order, highest first. May be set once. */
    public Builder priority(String... types) {
      check(priority.isEmpty(), "priority was already set to %s", priority);
      Set<String> seen = new LinkedHashSet<>();
      for (String t : types) {
        String type = type(t);
        check(seen.add(type), "priority names %s twice", type);
      }
      priority.addAll(seen);
      return this;
    }

    /** At most {@code max} values of {@code type} on one profile. */
    public Builder limit(String type, int max) {
      String t = type(type);
      check(max >= 1, "limit of %s must be at least 1: %s", t, max);
      check(!limits.containsKey(t), "limit of %s was already set to %s", t, limits.get(t));
      limits.put(t, max);
      return this;
    }

    /** At most {@code max} values of every type without a limit of its own. */
    public Builder defaultLimit(int max) {
      check(!defaultLimitSet, "defaultLimit was already set to %s", defaultLimit);
      check(max >= 1, "defaultLimit must be at least 1: %s", max);
      defaultLimit = max;
      defaultLimitSet = true;
      return this;
    }

    /**
     * This value of {@code type} (or of every type, with {@link #ANY_TYPE}) never matches or
     * merges. It is compared after normalization: {@code block("email", " QA@Test.com")} blocks
     * {@code qa@test.com}.
     */
    public Builder block(String type, String value) {
      String t = type.equals(ANY_TYPE) ? ANY_TYPE : type(type);
      requireNonNull(value, "value");
      String v = t.equals(ANY_TYPE) ? value : normalizedOrBlank(t, value);
      blocked.computeIfAbsent(t, k -> new LinkedHashSet<>()).add(v);
      return this;
    }

    /**
     * Values of {@code type} (or of every type, with {@link #ANY_TYPE}) in which {@code regex} is
     * found never match or merge.
     *
     * @throws IllegalArgumentException if the regex does not compile, with the reason
     */
    public Builder blockPattern(String type, String regex) {
      String t = type.equals(ANY_TYPE) ? ANY_TYPE : type(type);
      requireNonNull(regex, "regex");
      try {
        patterns.computeIfAbsent(t, k -> new ArrayList<>()).add(Pattern.compile(regex));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("blockPattern for " + t + " is not a valid regex: "
            + e.getMessage(), e);
      }
      return this;
    }

    /**
     * A normalizer applied to every value of {@code type} after the built-in one, for example
     * {@code String::toUpperCase} for case-insensitive CRM ids. It must be deterministic.
     */
    public Builder normalizer(String type, UnaryOperator<String> normalizer) {
      String t = type(type);
      check(!normalizers.containsKey(t), "normalizer of %s was already set", t);
      normalizers.put(t, requireNonNull(normalizer, "normalizer"));
      return this;
    }

    /** Builds the rules. */
    public IdentityRules build() {
      return new IdentityRules(this);
    }

    private static String type(String type) {
      requireNonNull(type, "type");
      return Identifier.normalizeType(type);
    }

    private static String normalizedOrBlank(String type, String value) {
      try {
        return Identifier.of(type, value).value();
      } catch (IllegalArgumentException blank) {
        return value.strip().toLowerCase(Locale.ROOT);
      }
    }

    private static void check(boolean ok, String template, Object... args) {
      if (!ok) {
        throw new IllegalArgumentException(String.format(template, args));
      }
    }
  }
}
