package dev.cdpkit;

import static java.util.Objects.requireNonNull;

import dev.cdpkit.identity.RejectedIdentifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one {@link Cdp#ingestJson} or {@link Cdp#ingest} call did, message by message: which
 * messages were applied and to which profile, which were duplicates, and which were rejected and
 * why.
 *
 * <p>Immutable and thread-safe.
 */
public final class IngestResult {

  /** What happened to one message. */
  public enum Status {
    /** Applied to a profile. */
    APPLIED,
    /** Its message id was seen before; nothing was applied. */
    DUPLICATE,
    /** Invalid; nothing of it was applied ({@link Message#error()} says why). */
    REJECTED,
    /**
     * It carries an identifier of a forgotten person ({@link Cdp#forget}); nothing of it was
     * applied or stored.
     */
    SUPPRESSED
  }

  /**
   * The outcome of one message.
   *
   * @param index the position in its batch (0 for a single message)
   * @param messageId the message id, when the message had a readable one
   * @param status applied, duplicate, rejected or suppressed
   * @param profileId the profile the message now belongs to (applied messages)
   * @param merged the profiles this message merged into {@code profileId}
   * @param rejectedIdentifiers identifiers that identity resolution left out, with reasons
   * @param error why the message was rejected
   */
  public record Message(int index, Optional<String> messageId, Status status,
      Optional<ProfileId> profileId, List<ProfileId> merged,
      List<RejectedIdentifier> rejectedIdentifiers, Optional<IngestException> error) {

    /** Copies the lists. */
    public Message {
      requireNonNull(messageId, "messageId");
      requireNonNull(status, "status");
      requireNonNull(profileId, "profileId");
      merged = List.copyOf(merged);
      rejectedIdentifiers = List.copyOf(rejectedIdentifiers);
      requireNonNull(error, "error");
    }
  }

  private final List<Message> messages;

  /** Creates a result from its messages, in batch order. */
  public IngestResult(List<Message> messages) {
    this.messages = List.copyOf(messages);
  }

  /** Every message's outcome, in batch order. */
  public List<Message> messages() {
    return messages;
  }

  /** The number of messages applied. */
  public int applied() {
    return count(Status.APPLIED);
  }

  /** The number of messages skipped as duplicates. */
  public int duplicates() {
    return count(Status.DUPLICATE);
  }

  /** The number of messages rejected. */
  public int rejected() {
    return count(Status.REJECTED);
  }

  /** The number of messages not applied because they name a forgotten person. */
  public int suppressed() {
    return count(Status.SUPPRESSED);
  }

  /** Why each rejected message was rejected, in batch order. */
  public List<IngestException> errors() {
    List<IngestException> out = new ArrayList<>();
    for (Message m : messages) {
      m.error().ifPresent(out::add);
    }
    return List.copyOf(out);
  }

  /** The profile the first applied message belongs to: handy for a single message. */
  public Optional<ProfileId> profileId() {
    for (Message m : messages) {
      if (m.profileId().isPresent()) {
        return m.profileId();
      }
    }
    return Optional.empty();
  }

  private int count(Status s) {
    int n = 0;
    for (Message m : messages) {
      if (m.status() == s) {
        n++;
      }
    }
    return n;
  }

  @Override
  public String toString() {
    return "IngestResult{applied=" + applied() + ", duplicates=" + duplicates() + ", rejected="
        + rejected() + (suppressed() > 0 ? ", suppressed=" + suppressed() : "")
        + (rejected() > 0 ? ", errors=" + errors() : "") + "}";
  }
}
