-- cdpkit schema, version 3: suppression records of forgotten people, and what each audience
-- was last sent.

-- a SHA-256 of each forgotten identifier (type and value), never the identifier itself
CREATE TABLE cdp_suppression (
  hash BYTEA PRIMARY KEY
);

-- per audience, the profiles its destination holds and what they were sent (to remove them)
CREATE TABLE cdp_audience_member (
  audience BYTEA NOT NULL,
  profile_id BYTEA NOT NULL,
  sent BYTEA NOT NULL,
  PRIMARY KEY (audience, profile_id)
);

INSERT INTO cdp_schema_version (version, description, applied_at)
  VALUES (3, 'suppressions and audiences', CURRENT_TIMESTAMP);
