package dev.cdpkit.testing;

import dev.cdpkit.store.Changes;
import dev.cdpkit.store.InMemoryProfileStore;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * An in-memory store that keeps the snapshot a closing {@code Cdp} hands it, until the next
 * commit, as a store that outlives the process does; for testing the snapshot path without a
 * database. Not thread-safe.
 */
public final class SnapshotKeepingStore extends ForwardingProfileStore {
  private List<byte[]> kept;

  /** An empty store. */
  public SnapshotKeepingStore() {
    super(new InMemoryProfileStore());
  }

  @Override
  public void commit(Changes changes) {
    kept = null;
    super.commit(changes);
  }

  @Override
  public Optional<List<byte[]>> snapshot() {
    return Optional.ofNullable(kept);
  }

  @Override
  public void saveSnapshot(Supplier<List<byte[]>> snapshot) {
    kept = List.copyOf(snapshot.get());
  }
}
