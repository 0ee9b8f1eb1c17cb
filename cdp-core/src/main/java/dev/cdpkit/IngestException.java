package dev.cdpkit;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A message could not be ingested: malformed JSON, an unknown {@code type}, no usable identifier, a
 * timestamp that is not ISO-8601, an oversized payload, and so on. The message names the field at
 * fault and, for a message inside a {@code {"batch": [...]}} envelope, its index.
 *
 * <p>Nothing of a rejected message is applied. Inside a batch, the other messages are applied and
 * each rejected one is reported in {@link IngestResult#errors()}.
 *
 * <p>Immutable.
 */
public final class IngestException extends CdpException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final int index;

  /**
   * Creates an exception about {@code field} (a JSON path such as {@code context.device.id}, or
   * {@code null} when the payload as a whole is at fault) of the message at {@code index} in its
   * batch ({@code -1} when not in a batch).
   */
  public IngestException(String field, int index, String problem) {
    super(describe(field, index, problem));
    this.field = field;
    this.index = index;
  }

  /** As {@link #IngestException(String, int, String)}, keeping the underlying cause. */
  public IngestException(String field, int index, String problem, Throwable cause) {
    super(describe(field, index, problem), cause);
    this.field = field;
    this.index = index;
  }

  private static String describe(String field, int index, String problem) {
    StringBuilder sb = new StringBuilder();
    if (index >= 0) {
      sb.append("batch[").append(index).append("]");
      if (field != null) {
        sb.append('.');
      }
    }
    if (field != null) {
      sb.append(field);
    }
    if (sb.length() > 0) {
      sb.append(": ");
    }
    return sb.append(problem).toString();
  }

  /** The JSON field at fault, such as {@code timestamp} or {@code context.externalIds[1].id}. */
  public Optional<String> field() {
    return Optional.ofNullable(field);
  }

  /** The position of the message in its {@code batch} array; empty for a single message. */
  public OptionalInt index() {
    return index < 0 ? OptionalInt.empty() : OptionalInt.of(index);
  }
}
