package dev.cdpkit;

/**
 * A segment expression that does not parse, or that cannot be defined: it names a segment that is
 * not defined, its definition would make segments refer to each other in a cycle, an aggregate
 * takes a property its events never carry as a number, or an aggregate's {@code where} uses what
 * has no meaning for an event's properties. The message gives the line, the column, the offending
 * line with a caret under the spot, and what was expected there (or what to fix).
 *
 * <p>Immutable.
 */
public final class SegmentSyntaxException extends CdpException {
  private static final long serialVersionUID = 1L;

  private final int line;
  private final int column;
  private final String expected;

  /**
   * Creates the exception for {@code text}, at the 1-based {@code line} and {@code column}.
   *
   * @param problem what is wrong, such as {@code expected a literal but found ')'}
   * @param expected what would have been accepted there
   */
  public SegmentSyntaxException(String text, int line, int column, String problem,
      String expected) {
    super("line " + line + ", column " + column + ": " + problem + "\n" + lineOf(text, line)
        + "\n" + " ".repeat(Math.max(0, column - 1)) + "^");
    this.line = line;
    this.column = column;
    this.expected = expected;
  }

  private static String lineOf(String text, int line) {
    String[] lines = text.split("\n", -1);
    return line - 1 < lines.length ? lines[line - 1] : "";
  }

  /** The 1-based line of the spot. */
  public int line() {
    return line;
  }

  /** The 1-based column of the spot. */
  public int column() {
    return column;
  }

  /** What would have been accepted at the spot. */
  public String expected() {
    return expected;
  }
}
