-- cdpkit schema, version 2: the index snapshot a closing Cdp leaves for the next one to open
-- from, and the count of commits that tells whether it is still current.

-- every transaction that ingests adds one to commits; a snapshot is current while
-- snapshot_commits equals commits
ALTER TABLE cdp_lock ADD COLUMN commits BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE cdp_lock ADD COLUMN snapshot_commits BIGINT;

-- the snapshot's parts, in order; opaque to the database
CREATE TABLE cdp_snapshot (
  part INTEGER PRIMARY KEY,
  body BYTEA NOT NULL
);

INSERT INTO cdp_schema_version (version, description, applied_at)
  VALUES (2, 'index snapshots', CURRENT_TIMESTAMP);
