package dev.cdpkit.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Finds the real public data in {@code ../shared/data} beside the project. Tests that need it skip
 * (JUnit assumptions) when it is absent, as it is in a user's clone.
 */
public final class SharedData {
  private SharedData() {}

  /** The data folder, if present: the {@code cdpkit.shared.data} property, else searched upward. */
  public static Path root() {
    String configured = System.getProperty("cdpkit.shared.data");
    if (configured != null && Files.isDirectory(Paths.get(configured))) {
      return Paths.get(configured).normalize();
    }
    Path dir = Paths.get("").toAbsolutePath();
    for (int i = 0; i < 4 && dir != null; i++, dir = dir.getParent()) {
      Path candidate = dir.resolve("../shared/data").normalize();
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /** A file or folder under the data folder; skips the calling test when it is absent. */
  public static Path require(String relative) {
    Path root = root();
    assumeTrue(root != null, "../shared/data is absent: skipping a test on real data");
    Path p = root.resolve(relative);
    assumeTrue(Files.exists(p), p + " is absent: skipping a test on real data");
    return p;
  }
}
