package dev.cdpkit;

/**
 * The root of every exception cdpkit throws for reasons other than a caller's mistake (those are
 * {@link IllegalArgumentException} and {@link NullPointerException}, with the bad value in the
 * message).
 *
 * <p>Instances are immutable once thrown and may be shared between threads.
 */
public class CdpException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message that tells the user what went wrong. */
  public CdpException(String message) {
    super(message);
  }

  /** Creates an exception with a message that tells the user what went wrong, and its cause. */
  public CdpException(String message, Throwable cause) {
    super(message, cause);
  }
}
