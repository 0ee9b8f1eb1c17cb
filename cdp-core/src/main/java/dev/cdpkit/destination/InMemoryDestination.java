package dev.cdpkit.destination;

import static java.util.Objects.requireNonNull;

import dev.cdpkit.ProfileId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A destination that keeps what it was sent in memory, per audience: for tests and examples. It
 * can be told to fail (whole syncs, or some profiles) to see retries at work.
 *
 * <p>Thread-safe.
 */
public final class InMemoryDestination implements Destination {
  private final String purpose;
  private final String channel;
  private final Map<String, Map<ProfileId, AudienceMember>> held = new HashMap<>();
  private final List<AudienceSync> received = new ArrayList<>();
  private Predicate<AudienceMember> refuse = m -> false;
  private int failNext;

  /** A destination serving {@code purpose} on {@code channel}. */
  public InMemoryDestination(String purpose, String channel) {
    this.purpose = requireNonNull(purpose, "purpose");
    this.channel = requireNonNull(channel, "channel");
  }

  @Override
  public String purpose() {
    return purpose;
  }

  @Override
  public String channel() {
    return channel;
  }

  @Override
  public synchronized DeliveryReport deliver(AudienceSync sync) {
    received.add(sync);
    if (failNext > 0) {
      failNext--;
      throw new IllegalStateException("told to fail");
    }
    Map<ProfileId, AudienceMember> members = held.computeIfAbsent(sync.audience(),
        k -> new LinkedHashMap<>());
    Map<ProfileId, String> failed = new HashMap<>();
    for (AudienceMember m : sync.removed()) {
      if (refuse.test(m)) {
        failed.put(m.profileId(), "refused");
      } else {
        members.remove(m.profileId());
      }
    }
    for (AudienceMember m : sync.added()) {
      if (refuse.test(m)) {
        failed.put(m.profileId(), "refused");
      } else {
        members.put(m.profileId(), m);
      }
    }
    return failed.isEmpty() ? DeliveryReport.ok() : DeliveryReport.failed(failed);
  }

  /** What it holds of an audience now, by profile. */
  public synchronized Map<ProfileId, AudienceMember> members(String audience) {
    return Map.copyOf(held.getOrDefault(audience, Map.of()));
  }

  /** Every sync it received, in order (failed ones too). */
  public synchronized List<AudienceSync> received() {
    return List.copyOf(received);
  }

  /** Fails the next {@code n} syncs as a whole. */
  public synchronized void failNext(int n) {
    this.failNext = n;
  }

  /** Refuses (reports as failed) every add or remove of a member this matches, until changed. */
  public synchronized void refuse(Predicate<AudienceMember> members) {
    this.refuse = requireNonNull(members, "members");
  }

  @Override
  public String toString() {
    return "InMemoryDestination{" + purpose + " on " + channel + "}";
  }
}
