-- cdpkit schema, version 1. The same script runs on H2 2.x and PostgreSQL 12+.
-- JdbcProfileStore applies it at start; hosts that run Flyway or Liquibase may run this file
-- themselves and open the store with validateOnly(). Text that comes from messages (message
-- ids, profile ids, identifiers, account ids, segment names) is kept as UTF-8 bytes: PostgreSQL text cannot
-- hold NUL, and every value keeps exactly what it was.

CREATE TABLE cdp_schema_version (
  version INTEGER PRIMARY KEY,
  description VARCHAR(200) NOT NULL,
  applied_at TIMESTAMP NOT NULL
);

-- one row, locked by each transaction that ingests, so that writers take turns
CREATE TABLE cdp_lock (
  id INTEGER PRIMARY KEY
);
INSERT INTO cdp_lock (id) VALUES (1);

-- the message log: every accepted message once; profile_id is null for an event that belongs to
-- no profile (unresolved) or is between two placements of one transaction
CREATE TABLE cdp_event (
  message_id BYTEA PRIMARY KEY,
  profile_id BYTEA,
  unresolved BOOLEAN NOT NULL,
  body BYTEA NOT NULL
);
CREATE INDEX cdp_event_profile ON cdp_event (profile_id);

CREATE TABLE cdp_profile (
  profile_id BYTEA PRIMARY KEY,
  body BYTEA NOT NULL
);

-- merged-away profile ids and the profile each resolves to
CREATE TABLE cdp_redirect (
  from_id BYTEA PRIMARY KEY,
  to_id BYTEA NOT NULL
);

CREATE TABLE cdp_identifier (
  id_type BYTEA NOT NULL,
  id_value BYTEA NOT NULL,
  profile_id BYTEA NOT NULL,
  PRIMARY KEY (id_type, id_value)
);
CREATE INDEX cdp_identifier_profile ON cdp_identifier (profile_id);

-- identifiers a profile's messages consulted without linking them
CREATE TABLE cdp_watch (
  id_type BYTEA NOT NULL,
  id_value BYTEA NOT NULL,
  profile_id BYTEA NOT NULL,
  PRIMARY KEY (id_type, id_value, profile_id)
);
CREATE INDEX cdp_watch_profile ON cdp_watch (profile_id);

CREATE TABLE cdp_watched_until (
  id_type BYTEA NOT NULL,
  id_value BYTEA NOT NULL,
  event_key BYTEA NOT NULL,
  PRIMARY KEY (id_type, id_value)
);

CREATE TABLE cdp_removed_identifier (
  id_type BYTEA NOT NULL,
  id_value BYTEA NOT NULL,
  PRIMARY KEY (id_type, id_value)
);

CREATE TABLE cdp_account (
  account_id BYTEA PRIMARY KEY,
  body BYTEA NOT NULL
);

-- segment definitions; seq orders them by their latest definition
CREATE TABLE cdp_segment (
  name BYTEA PRIMARY KEY,
  seq BIGINT NOT NULL,
  expression BYTEA NOT NULL
);

INSERT INTO cdp_schema_version (version, description, applied_at)
  VALUES (1, 'cdpkit schema', CURRENT_TIMESTAMP);
