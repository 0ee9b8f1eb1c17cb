package dev.cdpkit;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * At most {@code max} contacts on a channel within a sliding window: a profile with that many
 * contact events ({@code contactEvent}, such as {@code "Email Sent"}) in the window is kept out
 * of every audience on the channel until the window frees it. Contacts are ordinary events:
 * ingest them as the tools report them, or record them with {@link Cdp#recordContact}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param channel the channel, as destinations name it ({@code "email"})
 * @param contactEvent the name of the track events that count as contacts on it
 * @param max how many contacts the window allows
 * @param window the sliding window, whole seconds
 */
public record FrequencyCap(String channel, String contactEvent, int max, Duration window) {
  /** Checks the parts. */
  public FrequencyCap {
    requireNonNull(channel, "channel");
    requireNonNull(contactEvent, "contactEvent");
    requireNonNull(window, "window");
    if (channel.isBlank() || contactEvent.isBlank()) {
      throw new IllegalArgumentException("a frequency cap needs a channel and a contact event");
    }
    if (max < 1) {
      throw new IllegalArgumentException("a frequency cap allows at least 1 contact: " + max);
    }
    if (window.isNegative() || window.isZero() || window.toMillis() % 1000 != 0) {
      throw new IllegalArgumentException("a frequency cap's window is a positive number of"
          + " whole seconds: " + window);
    }
  }

  /**
   * A cap on a channel whose contacts are the events named after it: {@code "email"} counts
   * {@code "Email Sent"}, {@code "push"} counts {@code "Push Sent"}, {@code "in_app"} counts
   * {@code "In App Sent"}.
   */
  public static FrequencyCap of(String channel, int max, Duration window) {
    return new FrequencyCap(channel, contactEventOf(channel), max, window);
  }

  /** The contact event named after a channel (see {@link #of}). */
  public static String contactEventOf(String channel) {
    StringBuilder sb = new StringBuilder();
    for (String word : channel.strip().split("[_\\s-]+")) {
      if (!word.isEmpty()) {
        sb.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1)).append(' ');
      }
    }
    return sb.append("Sent").toString();
  }
}
