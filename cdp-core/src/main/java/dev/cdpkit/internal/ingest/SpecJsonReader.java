package dev.cdpkit.internal.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.google.common.hash.Hashing;
import dev.cdpkit.Event;
import dev.cdpkit.EventType;
import dev.cdpkit.Identifier;
import dev.cdpkit.IngestException;
import dev.cdpkit.internal.Values;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Segment Spec JSON, a single message or a {@code {"batch": [...]}} envelope, into events,
 * with a streaming parser that skips what cdpkit does not use. Every problem becomes an
 * {@link IngestException} that names the field (and, in a batch, the index). Thread-safe.
 */
public final class SpecJsonReader {
  private static final String TYPES = "identify, track, page, screen, group, alias";
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build())
      .build();

  private final int maxMessageBytes;
  private final int maxBatchBytes;

  /** Creates a reader with the given size limits in UTF-8 bytes. */
  public SpecJsonReader(int maxMessageBytes, int maxBatchBytes) {
    this.maxMessageBytes = maxMessageBytes;
    this.maxBatchBytes = maxBatchBytes;
  }

  /**
   * One message of a payload: an event without a timestamp when the message gave none, or the
   * reason it was rejected.
   *
   * @param index the position in the batch (0 for a single message)
   * @param messageId the message id, when readable
   * @param event the event, or null when rejected
   * @param error why it was rejected, or null
   */
  public record Item(int index, String messageId, Event event, IngestException error) {}

  /**
   * Reads a payload into its messages, in order.
   *
   * @throws IngestException when the payload as a whole is unusable: not JSON, not an object,
   *     too large, a {@code batch} that is not an array, or a single message that is invalid
   */
  public List<Item> read(String json) {
    int limit = Math.max(maxMessageBytes, maxBatchBytes);
    long size = utf8Length(json, limit);
    if (size > limit) {
      throw new IngestException(null, -1, "payload is " + size + " bytes, over the limit of "
          + limit + " bytes (Cdp.builder().maxBatchBytes / maxMessageBytes)");
    }
    Raw top = new Raw(-1);
    try (JsonParser p = FACTORY.createParser(json)) {
      JsonToken first = p.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw new IngestException(null, -1, "payload must be a JSON object (one Spec message or"
            + " a {\"batch\": [...]} envelope), got " + describe(first));
      }
      readMessage(p, top, json, true);
      JsonToken trailing = p.nextToken();
      if (trailing != null) {
        throw new IngestException(null, -1, "unexpected " + describe(trailing)
            + " after the JSON object at " + where(p.currentTokenLocation()));
      }
    } catch (JsonProcessingException e) {
      throw new IngestException(null, -1, "malformed JSON at " + where(e.getLocation()) + ": "
          + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new IngestException(null, -1, "could not read the payload: " + e.getMessage(), e);
    }
    if (top.batch == null) {
      size = utf8Length(json, maxMessageBytes);
      if (size > maxMessageBytes) {
        throw new IngestException(null, -1, "message is " + size + " bytes, over the limit of "
            + maxMessageBytes + " bytes per message (Cdp.builder().maxMessageBytes)");
      }
      Item item = toItem(top, null, json);
      if (item.error() != null) {
        throw item.error();
      }
      return List.of(item);
    }
    List<Item> items = new ArrayList<>(top.batch.size());
    for (Raw m : top.batch) {
      String text = json.substring(m.start, m.end);
      long bytes = utf8Length(text, maxMessageBytes);
      if (bytes > maxMessageBytes) {
        items.add(new Item(m.index, m.messageId, null, new IngestException(null, m.index,
            "message is " + bytes + " bytes, over the limit of " + maxMessageBytes
                + " bytes per message (Cdp.builder().maxMessageBytes)")));
      } else {
        items.add(toItem(m, top, text));
      }
    }
    return List.copyOf(items);
  }

  // ---- reading ------------------------------------------------------------------------------

  /** The fields of one message (or of the envelope) that cdpkit uses, read as they stand. */
  private static final class Raw {
    final int index;
    int start;
    int end;
    String errorField;
    String errorProblem;
    String type;
    String userId;
    String anonymousId;
    String messageId;
    String timestamp;
    String originalTimestamp;
    String sentAt;
    String event;
    String name;
    String groupId;
    String previousId;
    Map<String, Object> properties;
    Map<String, Object> traits;
    Map<String, Object> contextTraits;
    String deviceId;
    List<Identifier> externalIds;
    Map<String, Boolean> consents;
    String library;
    List<Raw> batch;

    Raw(int index) {
      this.index = index;
    }

    void fail(String field, String problem) {
      if (errorProblem == null) {
        errorField = field;
        errorProblem = problem;
      }
    }
  }

  private void readMessage(JsonParser p, Raw m, String json, boolean top) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      switch (field) {
        case "type":
          m.type = string(p, m, field);
          break;
        case "userId":
          m.userId = id(p, m, field);
          break;
        case "anonymousId":
          m.anonymousId = id(p, m, field);
          break;
        case "messageId":
          m.messageId = id(p, m, field);
          break;
        case "timestamp":
          m.timestamp = string(p, m, field);
          break;
        case "originalTimestamp":
          m.originalTimestamp = string(p, m, field);
          break;
        case "sentAt":
          m.sentAt = string(p, m, field);
          break;
        case "event":
          m.event = string(p, m, field);
          break;
        case "name":
          m.name = string(p, m, field);
          break;
        case "groupId":
          m.groupId = id(p, m, field);
          break;
        case "previousId":
          m.previousId = id(p, m, field);
          break;
        case "properties":
          m.properties = object(p, m, field);
          break;
        case "traits":
          m.traits = object(p, m, field);
          break;
        case "context":
          readContext(p, m);
          break;
        case "batch":
          if (!top) {
            p.skipChildren();
            break;
          }
          if (t != JsonToken.START_ARRAY) {
            p.skipChildren();
            throw new IngestException("batch", -1, "must be an array of messages, got "
                + describe(t));
          }
          m.batch = new ArrayList<>();
          readBatch(p, m.batch, json);
          break;
        default:
          p.skipChildren();
          break;
      }
    }
  }

  private void readBatch(JsonParser p, List<Raw> into, String json) throws IOException {
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      Raw m = new Raw(into.size());
      m.start = (int) p.currentTokenLocation().getCharOffset();
      if (t == JsonToken.START_OBJECT) {
        readMessage(p, m, json, false);
      } else {
        p.skipChildren();
        m.fail(null, "each message of a batch must be a JSON object, got " + describe(t));
      }
      m.end = (int) p.currentLocation().getCharOffset();
      into.add(m);
    }
  }

  private void readContext(JsonParser p, Raw m) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return;
    }
    if (p.currentToken() != JsonToken.START_OBJECT) {
      m.fail("context", "must be a JSON object, got " + describe(p.currentToken()));
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      switch (field) {
        case "traits":
          m.contextTraits = object(p, m, "context.traits");
          break;
        case "device":
          if (t == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String f = p.currentName();
              p.nextToken();
              if (f.equals("id")) {
                m.deviceId = id(p, m, "context.device.id");
              } else {
                p.skipChildren();
              }
            }
          } else if (t != JsonToken.VALUE_NULL) {
            m.fail("context.device", "must be a JSON object, got " + describe(t));
            p.skipChildren();
          }
          break;
        case "externalIds":
          readExternalIds(p, m);
          break;
        case "consent":
          readConsent(p, m);
          break;
        case "library":
          if (t == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String f = p.currentName();
              JsonToken v = p.nextToken();
              if (f.equals("name") && v == JsonToken.VALUE_STRING) {
                m.library = p.getText();
              } else {
                p.skipChildren();
              }
            }
          } else {
            p.skipChildren();
          }
          break;
        default:
          p.skipChildren();
          break;
      }
    }
  }

  private void readExternalIds(JsonParser p, Raw m) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return;
    }
    if (t != JsonToken.START_ARRAY) {
      m.fail("context.externalIds", "must be an array of {\"id\", \"type\"} objects, got "
          + describe(t));
      p.skipChildren();
      return;
    }
    m.externalIds = new ArrayList<>();
    int i = 0;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      String at = "context.externalIds[" + i++ + "]";
      if (t != JsonToken.START_OBJECT) {
        m.fail(at, "must be an object with \"id\" and \"type\", got " + describe(t));
        p.skipChildren();
        continue;
      }
      String id = null;
      String type = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String f = p.currentName();
        p.nextToken();
        if (f.equals("id")) {
          id = id(p, m, at + ".id");
        } else if (f.equals("type")) {
          type = string(p, m, at + ".type");
        } else {
          p.skipChildren();
        }
      }
      if (id == null) {
        m.fail(at + ".id", "is missing or blank");
      } else if (type == null || type.isBlank()) {
        m.fail(at + ".type", "is missing or blank");
      } else {
        try {
          m.externalIds.add(Identifier.of(type, id));
        } catch (IllegalArgumentException e) {
          m.fail(at, e.getMessage());
        }
      }
    }
  }

  private void readConsent(JsonParser p, Raw m) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return;
    }
    if (t != JsonToken.START_OBJECT) {
      m.fail("context.consent", "must be a JSON object, got " + describe(t));
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      t = p.nextToken();
      if (!f.equals("categoryPreferences")) {
        p.skipChildren();
        continue;
      }
      if (t == JsonToken.VALUE_NULL) {
        continue;
      }
      if (t != JsonToken.START_OBJECT) {
        m.fail("context.consent.categoryPreferences",
            "must be an object of purpose: true/false, got " + describe(t));
        p.skipChildren();
        continue;
      }
      m.consents = new LinkedHashMap<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String purpose = p.currentName();
        t = p.nextToken();
        if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
          m.consents.put(purpose, t == JsonToken.VALUE_TRUE);
        } else {
          m.fail("context.consent.categoryPreferences." + purpose,
              "must be true or false, got " + describe(t));
          p.skipChildren();
        }
      }
    }
  }

  private static String string(JsonParser p, Raw m, String field) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    if (t != JsonToken.VALUE_NULL) {
      m.fail(field, "must be a string, got " + describe(t));
      p.skipChildren();
    }
    return null;
  }

  /** A string or integer id; blank and null are absent. */
  private static String id(JsonParser p, Raw m, String field) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_STRING) {
      String s = p.getText();
      return s.isBlank() ? null : s;
    }
    if (t == JsonToken.VALUE_NUMBER_INT) {
      return p.getText();
    }
    if (t != JsonToken.VALUE_NULL) {
      m.fail(field, "must be a string or an integer to serve as an id, got " + describe(t)
          + (t == JsonToken.VALUE_NUMBER_FLOAT ? " " + p.getText() : ""));
      p.skipChildren();
    }
    return null;
  }

  private static Map<String, Object> object(JsonParser p, Raw m, String field)
      throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT) {
      return readObject(p);
    }
    if (t != JsonToken.VALUE_NULL) {
      m.fail(field, "must be a JSON object, got " + describe(t));
      p.skipChildren();
    }
    return null;
  }

  /** Reads the object the parser is on; JSON nulls are kept as null values. */
  private static Map<String, Object> readObject(JsonParser p) throws IOException {
    Map<String, Object> out = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      p.nextToken();
      out.put(key, readValue(p));
    }
    return out;
  }

  private static Object readValue(JsonParser p) throws IOException {
    switch (p.currentToken()) {
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
          return Values.normalize("number", p.getBigIntegerValue());
        }
        return Values.boxLong(p.getLongValue());
      case VALUE_NUMBER_FLOAT:
        return p.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      case START_OBJECT:
        return readObject(p);
      case START_ARRAY:
        List<Object> list = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          list.add(readValue(p));
        }
        return list;
      default:
        throw new IllegalStateException("unexpected token " + p.currentToken());
    }
  }

  // ---- turning a message into an event ------------------------------------------------------

  private Item toItem(Raw m, Raw envelope, String text) {
    int index = envelope == null ? -1 : m.index;
    int reported = Math.max(index, 0);
    try {
      return new Item(reported, m.messageId, toEvent(m, envelope, text, index), null);
    } catch (IngestException e) {
      return new Item(reported, m.messageId, null, e);
    }
  }

  private Event toEvent(Raw m, Raw envelope, String text, int index) {
    if (m.errorProblem != null) {
      throw new IngestException(m.errorField, index, m.errorProblem);
    }
    if (m.type == null) {
      throw new IngestException("type", index, "is missing; expected one of " + TYPES);
    }
    EventType type = EventType.fromSpecName(m.type).orElseThrow(() -> new IngestException(
        "type", index, "unknown type '" + m.type + "'; expected one of " + TYPES));
    Event.Builder b;
    switch (type) {
      case TRACK:
        if (m.event == null || m.event.isBlank()) {
          throw new IngestException("event", index, "is missing: a track call needs an event name");
        }
        b = Event.track(m.event);
        break;
      case PAGE:
        b = m.name == null ? Event.page() : Event.page(m.name);
        break;
      case SCREEN:
        b = m.name == null ? Event.screen() : Event.screen(m.name);
        break;
      case GROUP:
        if (m.groupId == null) {
          throw new IngestException("groupId", index, "is missing: a group call needs a groupId");
        }
        b = Event.group(m.groupId);
        break;
      case ALIAS:
        if (m.previousId == null) {
          throw new IngestException("previousId", index,
              "is missing: an alias call needs a previousId");
        }
        if (m.userId == null && m.anonymousId == null) {
          throw new IngestException("userId", index,
              "is missing: an alias call needs the userId that previousId is an alias of");
        }
        b = Event.alias(m.previousId);
        break;
      default:
        b = Event.identify();
        break;
    }
    Raw env = envelope == null ? new Raw(-1) : envelope;
    if (m.userId != null) {
      b.identifier(identifier(Identifier.USER_ID, m.userId, "userId", index));
    }
    if (m.anonymousId != null) {
      b.identifier(identifier(Identifier.ANONYMOUS_ID, m.anonymousId, "anonymousId", index));
    }
    Map<String, Object> contextTraits = m.contextTraits != null ? m.contextTraits
        : env.contextTraits;
    if (contextTraits != null) {
      for (String t : new String[] {Identifier.EMAIL, Identifier.PHONE}) {
        Object v = contextTraits.get(t);
        if (v instanceof String && !((String) v).isBlank()) {
          try {
            b.identifier(Identifier.of(t, (String) v));
          } catch (IllegalArgumentException notUsable) {
            continue;
          }
          if (type != EventType.GROUP && (m.traits == null || !m.traits.containsKey(t))) {
            b.trait(t, v);
          }
        }
      }
    }
    String deviceId = m.deviceId != null ? m.deviceId : env.deviceId;
    if (deviceId != null) {
      b.identifier(identifier(Identifier.DEVICE_ID, deviceId, "context.device.id", index));
    }
    List<Identifier> external = m.externalIds != null ? m.externalIds : env.externalIds;
    if (external != null) {
      external.forEach(b::identifier);
    }
    try {
      if (m.traits != null) {
        b.traits(m.traits);
      }
      if (m.properties != null) {
        b.properties(m.properties);
      }
    } catch (IllegalArgumentException e) {
      throw new IngestException(null, index, e.getMessage(), e);
    }
    Map<String, Boolean> consents = m.consents != null ? m.consents : env.consents;
    if (consents != null) {
      consents.forEach(b::consent);
    }
    Instant at = time("timestamp", m.timestamp, index);
    Instant original = time("originalTimestamp", m.originalTimestamp, index);
    Instant sent = time("sentAt", m.sentAt, index);
    Instant envelopeSent = time("sentAt", env.sentAt, -1);
    Instant when = at != null ? at : original != null ? original : sent != null ? sent
        : envelopeSent;
    if (when != null) {
      b.timestamp(when);
    }
    b.messageId(m.messageId != null ? m.messageId
        : "sha256:" + Hashing.sha256().hashString(text, StandardCharsets.UTF_8));
    String library = m.library != null ? m.library : env.library;
    b.source(library != null && !library.isBlank() ? library : "json");
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new IngestException(null, index, "message has no usable identifier: give userId,"
          + " anonymousId, traits.email, traits.phone, context.device.id or context.externalIds",
          e);
    }
  }

  private static Identifier identifier(String type, String value, String field, int index) {
    try {
      return Identifier.of(type, value);
    } catch (IllegalArgumentException e) {
      throw new IngestException(field, index, e.getMessage(), e);
    }
  }

  private static Instant time(String field, String value, int index) {
    if (value == null) {
      return null;
    }
    try {
      return Timestamps.parse(value);
    } catch (DateTimeParseException e) {
      throw new IngestException(field, index, "'" + value + "' is not an ISO-8601 date-time"
          + " with a zone, such as 2024-07-18T20:09:12.978Z or 2024-07-18T22:09:12+02:00", e);
    }
  }

  // ---- helpers ------------------------------------------------------------------------------

  private static String describe(JsonToken t) {
    if (t == null) {
      return "nothing";
    }
    switch (t) {
      case START_OBJECT:
        return "an object";
      case START_ARRAY:
        return "an array";
      case VALUE_STRING:
        return "a string";
      case VALUE_NUMBER_INT:
        return "an integer";
      case VALUE_NUMBER_FLOAT:
        return "a decimal number";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "a boolean";
      case VALUE_NULL:
        return "null";
      default:
        return t.asString() == null ? t.name() : "'" + t.asString() + "'";
    }
  }

  private static String where(JsonLocation l) {
    return l == null ? "an unknown position"
        : "line " + l.getLineNr() + ", column " + l.getColumnNr();
  }

  /** The UTF-8 length of {@code s}, counted exactly only when it may exceed {@code limit}. */
  static long utf8Length(String s, long limit) {
    if ((long) s.length() * 3 <= limit) {
      return s.length();
    }
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      n += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
    }
    return n;
  }
}
