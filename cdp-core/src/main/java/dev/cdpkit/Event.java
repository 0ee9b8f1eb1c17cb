package dev.cdpkit;

import static java.util.Objects.requireNonNull;

import dev.cdpkit.internal.Values;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * One Segment Spec message: an identify, track, page, screen, group or alias call, as cdpkit keeps
 * it in its message log.
 *
 * <p>Build one with the factory for its type, for example
 * {@code Event.track("Feature Used").userId("u1").property("feature", "A").build()}. As in the
 * Spec, a {@code traits.email} or {@code traits.phone} of any type but {@code group} is also an
 * identifier of the person.
 *
 * <p>Immutable and thread-safe; equal when every field is.
 */
public final class Event {
  private final EventType type;
  private final String name;
  private final Set<Identifier> identifiers;
  private final Map<String, Object> properties;
  private final Map<String, Object> traits;
  private final Instant timestamp;
  private final String messageId;
  private final String source;
  private final String groupId;
  private final String previousId;
  private final Map<String, Boolean> consents;

  /** Takes the builder's collections as they are: the builder copies them if used again. */
  private Event(Builder b, Instant timestamp) {
    this.type = b.type;
    this.name = b.name;
    this.identifiers = Collections.unmodifiableSet(b.identifiers);
    this.properties = b.properties.isEmpty() ? Map.of()
        : Collections.unmodifiableMap(b.properties);
    this.traits = b.traits.isEmpty() ? Map.of() : Collections.unmodifiableMap(b.traits);
    this.timestamp = timestamp;
    this.messageId = b.messageId != null ? b.messageId : UUID.randomUUID().toString();
    this.source = b.source;
    this.groupId = b.groupId;
    this.previousId = b.previousId;
    this.consents = b.consents.isEmpty() ? Map.of() : Collections.unmodifiableMap(b.consents);
  }

  private Event(Event e, Instant timestamp) {
    this.type = e.type;
    this.name = e.name;
    this.identifiers = e.identifiers;
    this.properties = e.properties;
    this.traits = e.traits;
    this.timestamp = timestamp;
    this.messageId = e.messageId;
    this.source = e.source;
    this.groupId = e.groupId;
    this.previousId = e.previousId;
    this.consents = e.consents;
  }

  /** Starts an identify call: who the person is and their traits. */
  public static Builder identify() {
    return new Builder(EventType.IDENTIFY, null);
  }

  /** Starts a track call of the event named {@code event}, such as {@code "Feature Used"}. */
  public static Builder track(String event) {
    requireNonNull(event, "event");
    if (event.isBlank()) {
      throw new IllegalArgumentException("track event name is blank");
    }
    return new Builder(EventType.TRACK, event);
  }

  /** Starts a page call of the page named {@code name}. */
  public static Builder page(String name) {
    return new Builder(EventType.PAGE, requireNonNull(name, "name"));
  }

  /** Starts a page call without a page name. */
  public static Builder page() {
    return new Builder(EventType.PAGE, null);
  }

  /** Starts a screen call of the screen named {@code name}. */
  public static Builder screen(String name) {
    return new Builder(EventType.SCREEN, requireNonNull(name, "name"));
  }

  /** Starts a screen call without a screen name. */
  public static Builder screen() {
    return new Builder(EventType.SCREEN, null);
  }

  /**
   * Starts a group call: the person belongs to the account {@code groupId}; the call's traits are
   * the account's.
   */
  public static Builder group(String groupId) {
    Builder b = new Builder(EventType.GROUP, null);
    b.groupId = nonBlank("groupId", groupId);
    return b;
  }

  /**
   * Starts an alias call: {@code previousId} (a user id, else an anonymous id) and this call's
   * {@code userId} are the same person.
   */
  public static Builder alias(String previousId) {
    Builder b = new Builder(EventType.ALIAS, null);
    b.previousId = nonBlank("previousId", previousId);
    return b;
  }

  /** The Spec type of this message. */
  public EventType type() {
    return type;
  }

  /** The track event name, or the page or screen name; empty for other types. */
  public Optional<String> name() {
    return Optional.ofNullable(name);
  }

  /** The identifiers this message carries, in the order they were given; never empty. */
  public Set<Identifier> identifiers() {
    return identifiers;
  }

  /** The event's properties (track, page, screen), immutable. */
  public Map<String, Object> properties() {
    return properties;
  }

  /**
   * The person's traits; for a {@code group} call, the account's traits. A trait whose value is
   * {@code null} is unset by this message. Immutable.
   */
  public Map<String, Object> traits() {
    return traits;
  }

  /**
   * When it happened. Empty when the sender gave no time; {@link Cdp} then stamps it with its clock
   * on ingestion.
   */
  public Optional<Instant> timestamp() {
    return Optional.ofNullable(timestamp);
  }

  /** The deduplication key: a message id is applied once. */
  public String messageId() {
    return messageId;
  }

  /** The system the message came from ({@code "billing"}, {@code "crm"}, ...), for provenance. */
  public String source() {
    return source;
  }

  /** The account of a {@code group} call. */
  public Optional<String> groupId() {
    return Optional.ofNullable(groupId);
  }

  /** The earlier id of an {@code alias} call. */
  public Optional<String> previousId() {
    return Optional.ofNullable(previousId);
  }

  /** Consent per purpose ({@code "marketing" -> true}) stated by this message. Immutable. */
  public Map<String, Boolean> consents() {
    return consents;
  }

  /** Returns this event with its timestamp set to {@code at}. */
  Event withTimestamp(Instant at) {
    return new Event(this, requireNonNull(at, "at"));
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Event)) {
      return false;
    }
    Event e = (Event) o;
    return type == e.type && Objects.equals(name, e.name) && identifiers.equals(e.identifiers)
        && properties.equals(e.properties) && traits.equals(e.traits)
        && Objects.equals(timestamp, e.timestamp) && messageId.equals(e.messageId)
        && source.equals(e.source) && Objects.equals(groupId, e.groupId)
        && Objects.equals(previousId, e.previousId) && consents.equals(e.consents);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, name, identifiers, messageId, timestamp);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Event{").append(type.specName());
    if (name != null) {
      sb.append(" '").append(name).append('\'');
    }
    sb.append(", messageId=").append(messageId).append(", identifiers=").append(identifiers);
    if (timestamp != null) {
      sb.append(", timestamp=").append(timestamp);
    }
    if (groupId != null) {
      sb.append(", groupId=").append(groupId);
    }
    if (previousId != null) {
      sb.append(", previousId=").append(previousId);
    }
    if (!properties.isEmpty()) {
      sb.append(", properties=").append(properties);
    }
    if (!traits.isEmpty()) {
      sb.append(", traits=").append(traits);
    }
    if (!consents.isEmpty()) {
      sb.append(", consents=").append(consents);
    }
    return sb.append(", source=").append(source).append('}').toString();
  }

  private static String nonBlank(String what, String value) {
    requireNonNull(value, what);
    if (value.isBlank()) {
      throw new IllegalArgumentException(what + " is blank");
    }
    return value;
  }

  /**
   * Builds an {@link Event}. Every setting but the ones its factory requires is optional; the
   * message id defaults to a random UUID and the source to {@code "api"}.
   *
   * <p>Not thread-safe: use one builder from one thread.
   */
  public static final class Builder {
    private final EventType type;
    private final String name;
    private Set<Identifier> identifiers = new LinkedHashSet<>();
    private Map<String, Object> properties = new LinkedHashMap<>();
    private Map<String, Object> traits = new LinkedHashMap<>();
    private Map<String, Boolean> consents = new LinkedHashMap<>();
    /** Whether a built event holds this builder's collections: copy them before changing any. */
    private boolean shared;
    private Instant timestamp;
    private String messageId;
    private String source = "api";
    private String groupId;
    private String previousId;

    private Builder(EventType type, String name) {
      this.type = type;
      this.name = name;
    }

    /** Adds the {@code user_id} identifier. */
    public Builder userId(String userId) {
      return identifier(Identifier.of(Identifier.USER_ID, userId));
    }

    /** Adds the {@code anonymous_id} identifier. */
    public Builder anonymousId(String anonymousId) {
      return identifier(Identifier.of(Identifier.ANONYMOUS_ID, anonymousId));
    }

    /** Adds the {@code email} identifier (not a trait: use {@code trait("email", ...)} for both). */
    public Builder email(String email) {
      return identifier(Identifier.of(Identifier.EMAIL, email));
    }

    /** Adds the {@code phone} identifier. */
    public Builder phone(String phone) {
      return identifier(Identifier.of(Identifier.PHONE, phone));
    }

    /** Adds the {@code device_id} identifier. */
    public Builder deviceId(String deviceId) {
      return identifier(Identifier.of(Identifier.DEVICE_ID, deviceId));
    }

    /** Adds an identifier of any type, such as {@code salesforce_id}. */
    public Builder identifier(String type, String value) {
      return identifier(Identifier.of(type, value));
    }

    /** Adds an identifier. */
    public Builder identifier(Identifier identifier) {
      own();
      identifiers.add(requireNonNull(identifier, "identifier"));
      return this;
    }

    /** Sets an event property; {@code null} removes it. */
    public Builder property(String key, Object value) {
      own();
      put(properties, "property", key, value);
      return this;
    }

    /** Sets every entry of {@code values} as a property. */
    public Builder properties(Map<String, ?> values) {
      requireNonNull(values, "values").forEach(this::property);
      return this;
    }

    /**
     * Sets a trait of the person (for {@code group}: of the account). A {@code null} value unsets
     * the trait. {@code email} and {@code phone} traits are also identifiers (except on group).
     */
    public Builder trait(String key, Object value) {
      own();
      requireNonNull(key, "trait key");
      if (key.isEmpty()) {
        throw new IllegalArgumentException("trait key is empty");
      }
      traits.put(key, Values.normalize("trait " + key, value));
      return this;
    }

    /** Sets every entry of {@code values} as a trait. */
    public Builder traits(Map<String, ?> values) {
      requireNonNull(values, "values").forEach(this::trait);
      return this;
    }

    /** States the person's consent for a purpose such as {@code "marketing"}. */
    public Builder consent(String purpose, boolean granted) {
      own();
      requireNonNull(purpose, "purpose");
      if (purpose.isBlank()) {
        throw new IllegalArgumentException("consent purpose is blank");
      }
      consents.put(purpose, granted);
      return this;
    }

    /** Sets when it happened; without one, the {@link Cdp}'s clock stamps it on ingestion. */
    public Builder timestamp(Instant timestamp) {
      this.timestamp = requireNonNull(timestamp, "timestamp");
      return this;
    }

    /** Sets the deduplication key; the default is a random UUID. */
    public Builder messageId(String messageId) {
      this.messageId = nonBlank("messageId", messageId);
      return this;
    }

    /** Sets the system the message comes from, for trait provenance; the default is "api". */
    public Builder source(String source) {
      this.source = nonBlank("source", source);
      return this;
    }

    /**
     * Builds the event.
     *
     * @throws IllegalArgumentException if it has no identifier
     */
    public Event build() {
      own();
      if (type != EventType.GROUP) {
        addTraitIdentifier(Identifier.EMAIL);
        addTraitIdentifier(Identifier.PHONE);
      }
      if (identifiers.isEmpty()) {
        throw new IllegalArgumentException("a " + type.specName()
            + " event needs at least one identifier (userId, anonymousId, email, phone, deviceId"
            + " or a custom identifier)");
      }
      if (type == EventType.ALIAS && identifiers.stream().noneMatch(
          i -> i.type().equals(Identifier.USER_ID) || i.type().equals(Identifier.ANONYMOUS_ID))) {
        throw new IllegalArgumentException("an alias event needs a userId (or anonymousId) besides"
            + " its previousId");
      }
      shared = true;
      return new Event(this, timestamp);
    }

    /** An email or phone trait is also an identifier, when it is a usable one. */
    private void addTraitIdentifier(String type) {
      Object v = traits.get(type);
      if (v instanceof String && !((String) v).isBlank()) {
        try {
          identifiers.add(Identifier.of(type, (String) v));
        } catch (IllegalArgumentException notUsable) {
          // a phone trait without digits stays a trait, but identifies nobody
        }
      }
    }

    private void own() {
      if (shared) {
        identifiers = new LinkedHashSet<>(identifiers);
        properties = new LinkedHashMap<>(properties);
        traits = new LinkedHashMap<>(traits);
        consents = new LinkedHashMap<>(consents);
        shared = false;
      }
    }

    private static void put(Map<String, Object> map, String what, String key, Object value) {
      requireNonNull(key, what + " key");
      Object v = Values.normalize(what + " " + key, value);
      if (v == null) {
        map.remove(key);
      } else {
        map.put(key, v);
      }
    }
  }
}
