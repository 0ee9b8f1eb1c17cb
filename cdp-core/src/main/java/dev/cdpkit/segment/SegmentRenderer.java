package dev.cdpkit.segment;

import dev.cdpkit.segment.SegmentExpr.Aggregate;
import dev.cdpkit.segment.SegmentExpr.AggregateCompare;
import dev.cdpkit.segment.SegmentExpr.And;
import dev.cdpkit.segment.SegmentExpr.Between;
import dev.cdpkit.segment.SegmentExpr.Compare;
import dev.cdpkit.segment.SegmentExpr.Consented;
import dev.cdpkit.segment.SegmentExpr.Has;
import dev.cdpkit.segment.SegmentExpr.InList;
import dev.cdpkit.segment.SegmentExpr.InSegment;
import dev.cdpkit.segment.SegmentExpr.IsNull;
import dev.cdpkit.segment.SegmentExpr.Not;
import dev.cdpkit.segment.SegmentExpr.Or;
import dev.cdpkit.segment.SegmentExpr.Path;
import dev.cdpkit.segment.SegmentExpr.Span;
import dev.cdpkit.segment.SegmentExpr.TextMatch;
import dev.cdpkit.segment.SegmentExpr.Within;
import java.util.Locale;
import java.util.regex.Pattern;

/** Turns an expression into segment-language text that parses back to it. Stateless. */
final class SegmentRenderer {
  private static final Pattern NAME = Pattern.compile("[\\p{L}_][\\p{L}\\p{Nd}_]*");

  private SegmentRenderer() {}

  static String render(SegmentExpr e) {
    StringBuilder sb = new StringBuilder();
    render(e, sb);
    return sb.toString();
  }

  private static void render(SegmentExpr e, StringBuilder sb) {
    if (e instanceof Or) {
      join(((Or) e).terms(), " or ", sb);
    } else if (e instanceof And) {
      join(((And) e).terms(), " and ", sb);
    } else if (e instanceof Not) {
      sb.append("not ");
      nested(((Not) e).expr(), sb);
    } else if (e instanceof Compare) {
      Compare c = (Compare) e;
      path(c.path(), sb);
      sb.append(' ').append(c.op().symbol()).append(' ');
      literal(c.value(), sb);
    } else if (e instanceof InList) {
      InList in = (InList) e;
      path(in.path(), sb);
      sb.append(in.negated() ? " not in (" : " in (");
      for (int i = 0; i < in.values().size(); i++) {
        sb.append(i == 0 ? "" : ", ");
        literal(in.values().get(i), sb);
      }
      sb.append(')');
    } else if (e instanceof Between) {
      Between b = (Between) e;
      path(b.path(), sb);
      sb.append(" between ");
      literal(b.low(), sb);
      sb.append(" and ");
      literal(b.high(), sb);
    } else if (e instanceof IsNull) {
      IsNull n = (IsNull) e;
      path(n.path(), sb);
      sb.append(n.negated() ? " is not null" : " is null");
    } else if (e instanceof TextMatch) {
      TextMatch t = (TextMatch) e;
      path(t.path(), sb);
      sb.append(' ').append(t.op().words()).append(' ');
      string(t.text(), sb);
    } else if (e instanceof Within) {
      Within w = (Within) e;
      path(w.path(), sb);
      sb.append(" within ");
      span(w.span(), sb);
    } else if (e instanceof AggregateCompare) {
      AggregateCompare a = (AggregateCompare) e;
      aggregate(a.aggregate(), sb);
      sb.append(' ').append(a.op().symbol()).append(' ');
      literal(a.value(), sb);
    } else if (e instanceof InSegment) {
      sb.append("in segment ");
      string(((InSegment) e).name(), sb);
    } else if (e instanceof Has) {
      String type = ((Has) e).type();
      sb.append("has ");
      if (isName(type)) {
        sb.append(type);
      } else {
        string(type, sb);
      }
    } else if (e instanceof Consented) {
      sb.append("consented ");
      string(((Consented) e).purpose(), sb);
    } else {
      throw new IllegalArgumentException("unknown expression " + e);
    }
  }

  /** Renders a term that must stand alone: and/or go in parentheses. */
  private static void nested(SegmentExpr e, StringBuilder sb) {
    if (e instanceof And || e instanceof Or) {
      sb.append('(');
      render(e, sb);
      sb.append(')');
    } else {
      render(e, sb);
    }
  }

  private static void join(java.util.List<SegmentExpr> terms, String op, StringBuilder sb) {
    for (int i = 0; i < terms.size(); i++) {
      sb.append(i == 0 ? "" : op);
      SegmentExpr t = terms.get(i);
      if (t instanceof Or || (t instanceof And && op.equals(" and "))) {
        sb.append('(');
        render(t, sb);
        sb.append(')');
      } else {
        render(t, sb);
      }
    }
  }

  private static void aggregate(Aggregate a, StringBuilder sb) {
    sb.append(a.fn().keyword()).append('(');
    string(a.event(), sb);
    a.property().ifPresent(p -> {
      sb.append(", ");
      path(p, sb);
    });
    a.where().ifPresent(w -> {
      sb.append(" where ");
      render(w, sb);
    });
    a.within().ifPresent(s -> {
      sb.append(" within ");
      span(s, sb);
    });
    sb.append(')');
  }

  private static void path(Path p, StringBuilder sb) {
    String[] parts = p.text().split("\\.", -1);
    boolean bare = true;
    for (String part : parts) {
      bare &= isName(part);
    }
    if (bare) {
      sb.append(p.text());
    } else {
      sb.append('`').append(p.text()).append('`');
    }
  }

  private static boolean isName(String s) {
    return NAME.matcher(s).matches()
        && !SegmentParser.RESERVED.contains(s.toLowerCase(Locale.ROOT));
  }

  private static void span(Span s, StringBuilder sb) {
    sb.append(s.amount()).append(s.unit());
  }

  private static void literal(Object v, StringBuilder sb) {
    if (v instanceof String) {
      string((String) v, sb);
    } else {
      sb.append(v);
    }
  }

  private static void string(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\t':
          sb.append("\\t");
          break;
        case '\r':
          sb.append("\\r");
          break;
        default:
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }
}
