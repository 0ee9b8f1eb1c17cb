package dev.cdpkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MessageIdSetTest {

  @Test
  void behavesLikeAHashSetThroughManyGrowths() {
    MessageIdSet ids = new MessageIdSet();
    Set<String> oracle = new HashSet<>();
    Random r = new Random(5);
    for (int i = 0; i < 300_000; i++) {
      String id = "m-" + r.nextInt(200_000) + (r.nextBoolean() ? "" : "\u00e9");
      assertThat(ids.contains(id)).isEqualTo(oracle.contains(id));
      assertThat(ids.add(id)).isEqualTo(oracle.add(id));
      assertThat(ids.contains(id)).isTrue();
    }
    assertThat(ids.size()).isEqualTo(oracle.size());
    assertThat(ids.contains("")).isFalse();
    assertThat(ids.add("")).isTrue();
    assertThat(ids.contains("")).isTrue();
  }

  @Test
  void removalsKeepEveryOtherIdFindable() {
    MessageIdSet ids = new MessageIdSet();
    Set<String> oracle = new HashSet<>();
    Random r = new Random(11);
    for (int i = 0; i < 200_000; i++) {
      String id = "m-" + r.nextInt(3_000); // few ids: long probe runs, many removals inside them
      if (r.nextInt(3) == 0) {
        assertThat(ids.remove(id)).isEqualTo(oracle.remove(id));
      } else {
        assertThat(ids.add(id)).isEqualTo(oracle.add(id));
      }
      if (i % 1000 == 0) {
        for (int k = 0; k < 3_000; k++) {
          assertThat(ids.contains("m-" + k)).isEqualTo(oracle.contains("m-" + k));
        }
      }
    }
    assertThat(ids.size()).isEqualTo(oracle.size());
  }
}
