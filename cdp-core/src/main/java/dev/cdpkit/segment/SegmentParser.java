package dev.cdpkit.segment;

import dev.cdpkit.SegmentSyntaxException;
import dev.cdpkit.segment.SegmentExpr.Aggregate;
import dev.cdpkit.segment.SegmentExpr.AggregateCompare;
import dev.cdpkit.segment.SegmentExpr.And;
import dev.cdpkit.segment.SegmentExpr.Between;
import dev.cdpkit.segment.SegmentExpr.Compare;
import dev.cdpkit.segment.SegmentExpr.Consented;
import dev.cdpkit.segment.SegmentExpr.Fn;
import dev.cdpkit.segment.SegmentExpr.Has;
import dev.cdpkit.segment.SegmentExpr.InList;
import dev.cdpkit.segment.SegmentExpr.InSegment;
import dev.cdpkit.segment.SegmentExpr.IsNull;
import dev.cdpkit.segment.SegmentExpr.Not;
import dev.cdpkit.segment.SegmentExpr.Op;
import dev.cdpkit.segment.SegmentExpr.Or;
import dev.cdpkit.segment.SegmentExpr.Path;
import dev.cdpkit.segment.SegmentExpr.Span;
import dev.cdpkit.segment.SegmentExpr.TextMatch;
import dev.cdpkit.segment.SegmentExpr.TextOp;
import dev.cdpkit.segment.SegmentExpr.Within;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** A recursive-descent parser of the segment language. Not thread-safe: one per text. */
final class SegmentParser {
  /** Words that a bare path may not use: write them in backticks. */
  static final Set<String> RESERVED = Set.of("and", "or", "not", "in", "between", "is", "null",
      "contains", "starts", "ends", "with", "within", "true", "false", "has", "consented",
      "segment", "where", "count", "sum", "min", "max", "avg");

  private enum Kind { NAME, STRING, NUMBER, DURATION, PATH, OP, LPAREN, RPAREN, COMMA, DOT, END }

  private record Token(Kind kind, String text, Object value, int line, int column) {}

  private final String text;
  private final List<Token> tokens = new ArrayList<>();
  private int pos;

  SegmentParser(String text) {
    this.text = text;
    lex();
  }

  SegmentExpr parse() {
    SegmentExpr e = or();
    if (peek().kind() != Kind.END) {
      throw error(peek(), "'and', 'or' or the end of the expression");
    }
    return e;
  }

  // ---- grammar ------------------------------------------------------------------------------

  private SegmentExpr or() {
    List<SegmentExpr> terms = new ArrayList<>();
    terms.add(and());
    while (word("or")) {
      terms.add(and());
    }
    return terms.size() == 1 ? terms.get(0) : new Or(terms);
  }

  private SegmentExpr and() {
    List<SegmentExpr> terms = new ArrayList<>();
    terms.add(unary());
    while (word("and")) {
      terms.add(unary());
    }
    return terms.size() == 1 ? terms.get(0) : new And(terms);
  }

  private SegmentExpr unary() {
    if (word("not")) {
      return new Not(unary());
    }
    if (peek().kind() == Kind.LPAREN) {
      next();
      SegmentExpr e = or();
      expect(Kind.RPAREN, "')'");
      return e;
    }
    return predicate();
  }

  private SegmentExpr predicate() {
    Token t = peek();
    if (isWord(t, "in") && isWord(peek(1), "segment")) {
      next();
      next();
      return new InSegment(string("the segment's name in quotes"));
    }
    if (word("has")) {
      Token type = next();
      if (type.kind() == Kind.NAME || type.kind() == Kind.STRING) {
        return new Has((String) type.value());
      }
      throw error(type, "an identifier type such as email");
    }
    if (word("consented")) {
      return new Consented(string("the purpose in quotes, such as \"marketing\""));
    }
    if (t.kind() == Kind.NAME && peek(1).kind() == Kind.LPAREN) {
      Optional<Fn> fn = function(t.text());
      if (fn.isPresent()) {
        next();
        return aggregate(fn.get());
      }
    }
    Path path = path();
    Token after = peek();
    if (after.kind() == Kind.OP) {
      next();
      return new Compare(path, (Op) after.value(), literal());
    }
    if (word("not")) {
      if (!word("in")) {
        throw error(peek(), "'in' after 'not'");
      }
      return new InList(path, true, list());
    }
    if (word("in")) {
      return new InList(path, false, list());
    }
    if (word("between")) {
      Object low = literal();
      if (!word("and")) {
        throw error(peek(), "'and' between the two ends");
      }
      return new Between(path, low, literal());
    }
    if (word("is")) {
      boolean negated = word("not");
      if (!word("null")) {
        throw error(peek(), negated ? "'null'" : "'null' or 'not null'");
      }
      return new IsNull(path, negated);
    }
    if (word("contains")) {
      return new TextMatch(path, TextOp.CONTAINS, string("a string in quotes"));
    }
    if (word("starts")) {
      withWord();
      return new TextMatch(path, TextOp.STARTS_WITH, string("a string in quotes"));
    }
    if (word("ends")) {
      withWord();
      return new TextMatch(path, TextOp.ENDS_WITH, string("a string in quotes"));
    }
    if (word("within")) {
      return new Within(path, duration());
    }
    throw error(after, "a comparison (=, !=, <, <=, >, >=), in, not in, between, is null,"
        + " contains, starts with, ends with or within after " + path.text());
  }

  private SegmentExpr aggregate(Fn fn) {
    expect(Kind.LPAREN, "'('");
    String event = string("the event name in quotes");
    Optional<Path> property = Optional.empty();
    if (fn != Fn.COUNT) {
      expect(Kind.COMMA, "',' and the property to " + fn.keyword());
      property = Optional.of(path());
    }
    Optional<SegmentExpr> where = Optional.empty();
    if (word("where")) {
      where = Optional.of(or());
    }
    Optional<Span> within = Optional.empty();
    if (word("within")) {
      within = Optional.of(duration());
    }
    expect(Kind.RPAREN, "')'" + (where.isEmpty() ? ", 'where'" : "")
        + (within.isEmpty() ? " or 'within'" : ""));
    Token op = next();
    if (op.kind() != Kind.OP) {
      throw error(op, "a comparison (=, !=, <, <=, >, >=) after " + fn.keyword() + "(...)");
    }
    Token number = next();
    if (number.kind() != Kind.NUMBER) {
      throw error(number, "a number");
    }
    return new AggregateCompare(new Aggregate(fn, event, property, where, within),
        (Op) op.value(), (Number) number.value());
  }

  private Path path() {
    Token t = next();
    if (t.kind() == Kind.PATH) {
      return new Path((String) t.value());
    }
    if (t.kind() != Kind.NAME || RESERVED.contains(t.text().toLowerCase(Locale.ROOT))) {
      throw error(t, t.kind() == Kind.NAME ? "a path; write the word " + t.text()
          + " as a path in backticks: `" + t.text() + "`" : "a path such as ltv or `my trait`");
    }
    StringBuilder sb = new StringBuilder(t.text());
    while (peek().kind() == Kind.DOT) {
      next();
      Token part = next();
      if (part.kind() != Kind.NAME) {
        throw error(part, "a name after '.'");
      }
      sb.append('.').append(part.text());
    }
    return new Path(sb.toString());
  }

  private List<Object> list() {
    expect(Kind.LPAREN, "'(' and a list of values");
    List<Object> values = new ArrayList<>();
    values.add(literal());
    while (peek().kind() == Kind.COMMA) {
      next();
      values.add(literal());
    }
    expect(Kind.RPAREN, "',' or ')'");
    return values;
  }

  private Object literal() {
    Token t = next();
    if (t.kind() == Kind.NUMBER || t.kind() == Kind.STRING) {
      return t.value();
    }
    if (isWord(t, "true") || isWord(t, "false")) {
      return isWord(t, "true");
    }
    throw error(t, "a literal (a number, a string in quotes, true or false)");
  }

  private String string(String what) {
    Token t = next();
    if (t.kind() != Kind.STRING) {
      throw error(t, what);
    }
    return (String) t.value();
  }

  private Span duration() {
    Token t = next();
    if (t.kind() != Kind.DURATION) {
      throw error(t, "a duration such as 90d, 12h, 30m (minutes), 45s or 2w");
    }
    return (Span) t.value();
  }

  private void withWord() {
    if (!word("with")) {
      throw error(peek(), "'with'");
    }
  }

  private static Optional<Fn> function(String word) {
    for (Fn f : Fn.values()) {
      if (f.keyword().equalsIgnoreCase(word)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  // ---- tokens -------------------------------------------------------------------------------

  private Token peek() {
    return tokens.get(pos);
  }

  private Token peek(int ahead) {
    return tokens.get(Math.min(pos + ahead, tokens.size() - 1));
  }

  private Token next() {
    Token t = tokens.get(pos);
    if (t.kind() != Kind.END) {
      pos++;
    }
    return t;
  }

  private static boolean isWord(Token t, String word) {
    return t.kind() == Kind.NAME && t.text().equalsIgnoreCase(word);
  }

  /** Consumes the keyword if it is next. */
  private boolean word(String word) {
    if (isWord(peek(), word)) {
      next();
      return true;
    }
    return false;
  }

  private void expect(Kind kind, String what) {
    Token t = next();
    if (t.kind() != kind) {
      throw error(t, what);
    }
  }

  private SegmentSyntaxException error(Token found, String expected) {
    return new SegmentSyntaxException(text, found.line(), found.column(),
        "expected " + expected + " but found " + describe(found), expected);
  }

  private static String describe(Token t) {
    switch (t.kind()) {
      case END:
        return "the end of the expression";
      case STRING:
        return "the string \"" + t.value() + "\"";
      case NAME:
        return "'" + t.text() + "'";
      default:
        return "'" + t.text() + "'";
    }
  }

  private void lex() {
    int i = 0;
    int line = 1;
    int lineStart = 0;
    int n = text.length();
    while (true) {
      while (i < n && Character.isWhitespace(text.charAt(i))) {
        if (text.charAt(i) == '\n') {
          line++;
          lineStart = i + 1;
        }
        i++;
      }
      int column = i - lineStart + 1;
      if (i >= n) {
        tokens.add(new Token(Kind.END, "", null, line, column));
        return;
      }
      char c = text.charAt(i);
      int start = i;
      if (Character.isLetter(c) || c == '_') {
        while (i < n && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
          i++;
        }
        String word = text.substring(start, i);
        tokens.add(new Token(Kind.NAME, word, word, line, column));
      } else if (Character.isDigit(c) || (c == '-' && i + 1 < n
          && Character.isDigit(text.charAt(i + 1)))) {
        i = number(i, line, column);
      } else if (c == '"' || c == '\'') {
        StringBuilder sb = new StringBuilder();
        i++;
        while (true) {
          if (i >= n || text.charAt(i) == '\n') {
            throw new SegmentSyntaxException(text, line, column, "expected the closing " + c
                + " of this string but found the end of the " + (i >= n ? "expression" : "line"),
                "the closing " + c);
          }
          char d = text.charAt(i);
          if (d == c) {
            i++;
            break;
          }
          if (d == '\\') {
            if (i + 1 >= n) {
              throw new SegmentSyntaxException(text, line, i - lineStart + 1,
                  "expected a character after the backslash but found the end", "an escape");
            }
            char e = text.charAt(i + 1);
            switch (e) {
              case 'n':
                sb.append('\n');
                break;
              case 't':
                sb.append('\t');
                break;
              case 'r':
                sb.append('\r');
                break;
              case 'u':
                try {
                  sb.append((char) Integer.parseInt(text.substring(i + 2, i + 6), 16));
                } catch (NumberFormatException | StringIndexOutOfBoundsException bad) {
                  throw new SegmentSyntaxException(text, line, i - lineStart + 1,
                      "expected four hex digits after \\u", "four hex digits");
                }
                i += 4;
                break;
              default:
                sb.append(e);
                break;
            }
            i += 2;
          } else {
            sb.append(d);
            i++;
          }
        }
        tokens.add(new Token(Kind.STRING, text.substring(start, i), sb.toString(), line,
            column));
      } else if (c == '`') {
        int close = text.indexOf('`', i + 1);
        if (close < 0) {
          throw new SegmentSyntaxException(text, line, column,
              "expected the closing ` of this path but found the end of the expression", "`");
        }
        String p = text.substring(i + 1, close);
        if (p.isEmpty() || p.indexOf('\n') >= 0) {
          throw new SegmentSyntaxException(text, line, column,
              "expected a path between the backticks", "a path");
        }
        i = close + 1;
        tokens.add(new Token(Kind.PATH, text.substring(start, i), p, line, column));
      } else if (c == '(' || c == ')' || c == ',' || c == '.') {
        i++;
        Kind k = c == '(' ? Kind.LPAREN : c == ')' ? Kind.RPAREN : c == ',' ? Kind.COMMA
            : Kind.DOT;
        tokens.add(new Token(k, String.valueOf(c), null, line, column));
      } else if (c == '=' || c == '!' || c == '<' || c == '>') {
        String two = i + 1 < n ? text.substring(i, i + 2) : "";
        Op op;
        if (two.equals("!=")) {
          op = Op.NE;
        } else if (two.equals("<=")) {
          op = Op.LE;
        } else if (two.equals(">=")) {
          op = Op.GE;
        } else if (c == '=') {
          op = Op.EQ;
        } else if (c == '<') {
          op = Op.LT;
        } else if (c == '>') {
          op = Op.GT;
        } else {
          throw new SegmentSyntaxException(text, line, column,
              "expected '!=' but found '!'", "!=");
        }
        i += op.symbol().length();
        tokens.add(new Token(Kind.OP, op.symbol(), op, line, column));
      } else {
        throw new SegmentSyntaxException(text, line, column, "expected a path, a value, an"
            + " operator or a parenthesis but found '" + c + "'", "a token");
      }
    }
  }

  /** Lexes a number or a duration starting at {@code i}; returns the index after it. */
  private int number(int i, int line, int column) {
    int n = text.length();
    int start = i;
    if (text.charAt(i) == '-') {
      i++;
    }
    while (i < n && Character.isDigit(text.charAt(i))) {
      i++;
    }
    if (i < n && "smhdw".indexOf(text.charAt(i)) >= 0 && text.charAt(start) != '-'
        && (i + 1 >= n || !(Character.isLetterOrDigit(text.charAt(i + 1))
        || text.charAt(i + 1) == '_'))) {
      long amount;
      try {
        amount = Long.parseLong(text.substring(start, i));
      } catch (NumberFormatException tooBig) {
        throw new SegmentSyntaxException(text, line, column, "expected a smaller duration",
            "a duration");
      }
      tokens.add(new Token(Kind.DURATION, text.substring(start, i + 1),
          new Span(amount, text.charAt(i)), line, column));
      return i + 1;
    }
    boolean decimal = false;
    if (i + 1 < n && text.charAt(i) == '.' && Character.isDigit(text.charAt(i + 1))) {
      decimal = true;
      i++;
      while (i < n && Character.isDigit(text.charAt(i))) {
        i++;
      }
    }
    if (i < n && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
      int j = i + 1;
      if (j < n && (text.charAt(j) == '+' || text.charAt(j) == '-')) {
        j++;
      }
      if (j < n && Character.isDigit(text.charAt(j))) {
        decimal = true;
        i = j;
        while (i < n && Character.isDigit(text.charAt(i))) {
          i++;
        }
      }
    }
    if (i < n && (Character.isLetter(text.charAt(i)) || text.charAt(i) == '_')) {
      throw new SegmentSyntaxException(text, line, column, "expected a number or a duration"
          + " (90d, 12h, 30m, 45s, 2w) but found '" + text.substring(start, i + 1) + "'",
          "a number or a duration");
    }
    String literal = text.substring(start, i);
    Object value;
    try {
      value = decimal ? (Object) Double.parseDouble(literal) : (Object) Long.parseLong(literal);
    } catch (NumberFormatException tooBig) {
      value = Double.parseDouble(literal);
    }
    if (value instanceof Double && !Double.isFinite((Double) value)) {
      throw new SegmentSyntaxException(text, line, column, "expected a finite number but found "
          + literal, "a finite number");
    }
    tokens.add(new Token(Kind.NUMBER, literal, value, line, column));
    return i;
  }
}
