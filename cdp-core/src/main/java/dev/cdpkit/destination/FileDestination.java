package dev.cdpkit.destination;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.cdpkit.ProfileId;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A destination that keeps each audience as a file of its current members, one line each, as a
 * tool that imports files would take it: CSV ({@code profile_id} and one column per identifier
 * type, several values joined by {@code ;}) or JSON lines (one object per member). Each sync
 * rewrites the file (written beside it, then moved over it), so a reader sees the whole of one
 * sync or the whole of the one before. The file is named after the audience, in the directory
 * given; the state of what was synced is the {@code Cdp}'s, the file only mirrors it.
 *
 * <p>Thread-safe.
 */
public final class FileDestination implements Destination {
  /** How the file is written. */
  public enum Format {
    /** Comma-separated values with a header row. */
    CSV,
    /** One JSON object per line: {@code {"profile_id": ..., "identifiers": {...}}}. */
    JSON_LINES
  }

  private static final JsonFactory JSON = new JsonFactory();

  private final Path directory;
  private final Format format;
  private final String purpose;
  private final String channel;
  private final List<String> columns;

  /**
   * Files in {@code directory} (made when missing), serving {@code purpose} on {@code channel};
   * for CSV, {@code columns} are the identifier types written, in order (as the audience sends
   * them: {@code "email"}, {@code "email_sha256"}).
   */
  public FileDestination(Path directory, Format format, String purpose, String channel,
      String... columns) {
    this.directory = requireNonNull(directory, "directory");
    this.format = requireNonNull(format, "format");
    this.purpose = requireNonNull(purpose, "purpose");
    this.channel = requireNonNull(channel, "channel");
    this.columns = List.of(columns);
    if (format == Format.CSV && this.columns.isEmpty()) {
      throw new IllegalArgumentException("a CSV file destination needs its columns: the"
          + " identifier types to write");
    }
  }

  @Override
  public String purpose() {
    return purpose;
  }

  @Override
  public String channel() {
    return channel;
  }

  /** The file of an audience. */
  public Path file(String audience) {
    String safe = audience.replaceAll("[^A-Za-z0-9._-]", "_");
    return directory.resolve(safe + (format == Format.CSV ? ".csv" : ".jsonl"));
  }

  @Override
  public synchronized DeliveryReport deliver(AudienceSync sync) throws IOException {
    Files.createDirectories(directory);
    Path file = file(sync.audience());
    Map<ProfileId, AudienceMember> members = sync.full() ? new LinkedHashMap<>() : read(file);
    for (AudienceMember m : sync.removed()) {
      members.remove(m.profileId());
    }
    for (AudienceMember m : sync.added()) {
      members.put(m.profileId(), m);
    }
    Path next = file.resolveSibling(file.getFileName() + ".next");
    try (Writer w = Files.newBufferedWriter(next, StandardCharsets.UTF_8)) {
      if (format == Format.CSV) {
        w.write(csvLine(header()));
      }
      for (AudienceMember m : members.values()) {
        w.write(format == Format.CSV ? csvLine(row(m)) : jsonLine(m));
      }
    }
    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return DeliveryReport.ok();
  }

  private List<String> header() {
    List<String> h = new ArrayList<>();
    h.add("profile_id");
    h.addAll(columns);
    return h;
  }

  private List<String> row(AudienceMember m) {
    List<String> r = new ArrayList<>();
    r.add(m.profileId().value());
    for (String c : columns) {
      r.add(String.join(";", m.identifiers().getOrDefault(c, List.of())));
    }
    return r;
  }

  /** The members the file holds now (empty when there is none). */
  private Map<ProfileId, AudienceMember> read(Path file) throws IOException {
    Map<ProfileId, AudienceMember> out = new LinkedHashMap<>();
    if (!Files.exists(file)) {
      return out;
    }
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      boolean first = true;
      while ((line = r.readLine()) != null) {
        if (format == Format.CSV) {
          if (first) {
            first = false;
            continue;
          }
          List<String> cells = csvCells(line);
          Map<String, List<String>> ids = new LinkedHashMap<>();
          for (int i = 0; i < columns.size() && i + 1 < cells.size(); i++) {
            if (!cells.get(i + 1).isEmpty()) {
              ids.put(columns.get(i), List.of(cells.get(i + 1).split(";")));
            }
          }
          ProfileId id = ProfileId.of(cells.get(0));
          out.put(id, new AudienceMember(id, ids));
        } else {
          AudienceMember m = fromJson(line);
          out.put(m.profileId(), m);
        }
      }
    }
    return out;
  }

  private static String csvLine(List<String> cells) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      String c = cells.get(i);
      if (c.contains(",") || c.contains("\"") || c.contains("\n") || c.contains("\r")) {
        sb.append('"').append(c.replace("\"", "\"\"")).append('"');
      } else {
        sb.append(c);
      }
    }
    return sb.append('\n').toString();
  }

  private static List<String> csvCells(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(cell.toString());
        cell.setLength(0);
      } else {
        cell.append(c);
      }
    }
    out.add(cell.toString());
    return out;
  }

  private static String jsonLine(AudienceMember m) throws IOException {
    StringWriter sw = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(sw)) {
      g.writeStartObject();
      g.writeStringField("profile_id", m.profileId().value());
      g.writeObjectFieldStart("identifiers");
      for (Map.Entry<String, List<String>> e : m.identifiers().entrySet()) {
        g.writeArrayFieldStart(e.getKey());
        for (String v : e.getValue()) {
          g.writeString(v);
        }
        g.writeEndArray();
      }
      g.writeEndObject();
      g.writeEndObject();
    }
    return sw + "\n";
  }

  private static AudienceMember fromJson(String line) throws IOException {
    try (com.fasterxml.jackson.core.JsonParser p = JSON.createParser(line)) {
      String id = null;
      Map<String, List<String>> ids = new LinkedHashMap<>();
      p.nextToken();
      while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
        String field = p.getCurrentName();
        p.nextToken();
        if (field.equals("profile_id")) {
          id = p.getText();
        } else if (field.equals("identifiers")) {
          while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
            String type = p.getCurrentName();
            p.nextToken();
            List<String> values = new ArrayList<>();
            while (p.nextToken() != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
              values.add(p.getText());
            }
            ids.put(type, values);
          }
        } else {
          p.skipChildren();
        }
      }
      if (id == null) {
        throw new IOException("a line without profile_id: " + line);
      }
      return new AudienceMember(ProfileId.of(id), ids);
    }
  }

  @Override
  public String toString() {
    return "FileDestination{" + format + " in " + directory + ", " + purpose + " on " + channel
        + "}";
  }
}
