package dev.cdpkit.store;

/** The in-memory store keeps the store contract. */
class InMemoryProfileStoreTest extends ProfileStoreContract {
  @Override
  protected ProfileStore createStore() {
    return new InMemoryProfileStore();
  }
}
