package dev.cdpkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdpkit.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Identity resolution on real benchmark data with ground truth, under the default rules: the
 * Splink synthetic people by email, and the Febrl records by social security number.
 */
class RealIdentityDataTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void splinkPeopleByEmail() throws IOException {
    List<String> lines = Files.readAllLines(SharedData.require("identity/splink/fake_20000.csv"));
    assertThat(lines.get(0)).isEqualTo("unique_id,first_name,surname,dob,city,email,cluster");
    Cdp cdp = Cdp.builder().build();
    Map<String, String> clusterOf = new HashMap<>();
    Map<String, Set<String>> clustersByEmail = new HashMap<>();
    StringBuilder batch = new StringBuilder();
    int applied = 0;
    int rejected = 0;
    for (int n = 1; n < lines.size(); n++) {
      String[] c = lines.get(n).split(",", -1);
      clusterOf.put(c[0], c[6]);
      if (!c[5].isBlank()) {
        clustersByEmail.computeIfAbsent(c[5].strip().toLowerCase(Locale.ROOT),
            k -> new HashSet<>()).add(c[6]);
      }
      batch.append(batch.length() == 0 ? "{\"batch\":[" : ",")
          .append("{\"type\":\"identify\",\"messageId\":\"splink-").append(c[0])
          .append("\",\"timestamp\":\"").append(T0.plusSeconds(n)).append("\",\"traits\":{")
          .append("\"email\":\"").append(c[5]).append("\",\"first_name\":\"").append(c[1])
          .append("\",\"surname\":\"").append(c[2]).append("\",\"record\":\"").append(c[0])
          .append("\"}}");
      if (n % 200 == 0 || n == lines.size() - 1) {
        IngestResult r = cdp.ingestJson(batch.append("]}").toString());
        applied += r.applied();
        rejected += r.rejected();
        for (IngestException e : r.errors()) {
          assertThat(e.getMessage()).contains("message has no usable identifier");
        }
        batch.setLength(0);
      }
    }
    assertThat(applied + rejected).isEqualTo(20_000);
    assertThat(rejected).as("records without an email").isEqualTo(3_970);
    assertThat(cdp.profileCount()).as("one profile per distinct email")
        .isEqualTo(clustersByEmail.size()).isEqualTo(9_118);
    List<String> mixed = new ArrayList<>();
    cdp.forEachProfile(p -> {
      Set<String> clusters = new HashSet<>();
      for (Event e : cdp.events(p.id())) {
        clusters.add(clusterOf.get((String) e.traits().get("record")));
      }
      if (clusters.size() > 1) {
        // two clusters may share a profile only through a shared email
        String email = p.identifiers(Identifier.EMAIL).iterator().next();
        assertThat(clustersByEmail.get(email)).containsAll(clusters);
        mixed.add(email);
      }
    });
    assertThat(mixed).hasSize(1);
  }

  @Test
  void febrlRecordsBySocialSecurityNumber() throws IOException {
    StringBuilder report = new StringBuilder();
    for (String file : List.of("dataset1.csv", "dataset2.csv", "dataset3.csv")) {
      Path path = SharedData.require("identity/febrl/" + file);
      List<String> lines = Files.readAllLines(path);
      Cdp cdp = Cdp.builder().build();
      Map<String, List<String>> recordsOfPerson = new HashMap<>();
      Map<String, String> ssnOf = new HashMap<>();
      for (String line : lines.subList(1, lines.size())) {
        String[] c = line.split(", ", -1);
        String rec = c[0].strip();
        String person = rec.split("-")[1];
        recordsOfPerson.computeIfAbsent(person, k -> new ArrayList<>()).add(rec);
        ssnOf.put(rec, c[10].strip());
        assertThat(cdp.ingest(Event.identify().identifier("soc_sec_id", c[10])
            .trait("given_name", c[1].strip()).trait("surname", c[2].strip())
            .trait("postcode", c[7].strip()).messageId(rec).timestamp(T0).source("febrl")
            .build()).applied()).isEqualTo(1);
      }
      Map<String, ProfileId> profileOf = new HashMap<>();
      cdp.forEachProfile(p -> cdp.events(p.id()).forEach(e -> profileOf.put(e.messageId(),
          p.id())));
      long truePairs = 0;
      long foundTruePairs = 0;
      long expectedFound = 0;
      for (List<String> recs : recordsOfPerson.values()) {
        for (int i = 0; i < recs.size(); i++) {
          for (int j = i + 1; j < recs.size(); j++) {
            truePairs++;
            if (profileOf.get(recs.get(i)).equals(profileOf.get(recs.get(j)))) {
              foundTruePairs++;
            }
            if (ssnOf.get(recs.get(i)).equals(ssnOf.get(recs.get(j)))) {
              expectedFound++;
            }
          }
        }
      }
      // precision 1.0: no profile holds records of two people
      Map<ProfileId, Set<String>> peopleInProfile = new HashMap<>();
      profileOf.forEach((rec, p) -> peopleInProfile.computeIfAbsent(p, k -> new HashSet<>())
          .add(rec.split("-")[1]));
      peopleInProfile.values().forEach(people -> assertThat(people).hasSize(1));
      assertThat(foundTruePairs).isEqualTo(expectedFound);
      report.append(String.format(Locale.ROOT, "%s: %d records, %d profiles, precision 1.0,"
          + " recall %.3f (%d of %d true pairs)%n", file, lines.size() - 1, cdp.profileCount(),
          (double) foundTruePairs / truePairs, foundTruePairs, truePairs));
    }
    System.out.print(report);
  }
}
