package dev.cdpkit.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.cdpkit.store.ProfileStore;
import dev.cdpkit.store.ProfileStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on an H2 file database. */
class H2ProfileStoreTest extends ProfileStoreContract {
  @TempDir
  Path dir;
  private HikariDataSource dataSource;

  @Override
  protected ProfileStore createStore() {
    dataSource = Databases.h2(dir);
    return JdbcProfileStore.create(dataSource);
  }

  @AfterEach
  void closePool() {
    dataSource.close();
  }
}
