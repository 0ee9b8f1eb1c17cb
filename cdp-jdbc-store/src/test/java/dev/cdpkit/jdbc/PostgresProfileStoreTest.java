package dev.cdpkit.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.cdpkit.store.ProfileStore;
import dev.cdpkit.store.ProfileStoreContract;
import org.junit.jupiter.api.AfterEach;

/** The store contract on a real PostgreSQL. */
class PostgresProfileStoreTest extends ProfileStoreContract {
  private HikariDataSource dataSource;

  @Override
  protected ProfileStore createStore() {
    dataSource = Databases.postgresDatabase();
    return JdbcProfileStore.create(dataSource);
  }

  @AfterEach
  void closePool() {
    dataSource.close();
  }
}
