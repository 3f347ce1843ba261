#include "db/schema.h"

namespace checkin::db {

const std::array<const char*, 10> kMigrations = {
    // 0 -> 1: the first schema.
    R"sql(
CREATE TABLE event (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  name       TEXT NOT NULL,
  timezone   TEXT NOT NULL,
  created_at TEXT NOT NULL
);

-- One row per ticket. Rows are never deleted: a ticket cancelled upstream stays
-- here as 'cancelled' so the door can say why it is refused.
CREATE TABLE attendees (
  id              INTEGER PRIMARY KEY,
  source          TEXT NOT NULL,             -- generic, eventbrite, pretix, sympla
  ticket_id       TEXT NOT NULL,             -- the platform's ticket id
  order_id        TEXT NOT NULL DEFAULT '',
  ticket_code     TEXT NOT NULL UNIQUE,      -- content of the ticket QR
  badge_code      TEXT NOT NULL UNIQUE,      -- opaque, generated here, for the badge QR
  first_name      TEXT NOT NULL,
  last_name       TEXT NOT NULL,
  email           TEXT NOT NULL DEFAULT '',
  company         TEXT NOT NULL DEFAULT '',
  ticket_type     TEXT NOT NULL DEFAULT '',
  status          TEXT NOT NULL CHECK (status IN ('valid', 'cancelled', 'refunded')),
  upstream_status TEXT NOT NULL DEFAULT '',
  checkin_lists   TEXT NOT NULL DEFAULT '',
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL
  -- (source, ticket_id) is unique too; db/roster_import.cc, the only writer,
  -- matches on it under the write lock. An index for it would only cost.
);

-- Accent- and case-insensitive search: "jose munoz" finds "José Muñoz".
-- Kept in step by db/roster_import.cc, the only writer of attendees, in one
-- statement per import: triggers would flush FTS5's pending terms on every
-- row and make a 100,000-row import ten times slower.
CREATE VIRTUAL TABLE attendees_fts USING fts5(
  first_name, last_name, email, company,
  content = 'attendees', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2',
  -- Ranking reads sizes from the few rows it ranks instead of a per-row
  -- table every import would have to fill.
  columnsize = 0
);

-- The check-in log is append-only: corrections are new 'undo' rows.
CREATE TABLE checkins (
  id          INTEGER PRIMARY KEY,
  uuid        TEXT NOT NULL UNIQUE,
  attendee_id INTEGER REFERENCES attendees (id),
  code        TEXT NOT NULL,
  gate        TEXT NOT NULL,
  station     TEXT NOT NULL,
  direction   TEXT NOT NULL CHECK (direction IN ('entry', 'exit')),
  kind        TEXT NOT NULL CHECK (kind IN ('admitted', 'denied', 'undo')),
  source      TEXT NOT NULL CHECK (source IN ('camera', 'keyboard', 'manual')),
  verdict     TEXT NOT NULL,
  reason      TEXT NOT NULL DEFAULT '',
  undoes      INTEGER REFERENCES checkins (id),
  at          TEXT NOT NULL,
  CHECK ((kind = 'undo') = (undoes IS NOT NULL))
);
CREATE INDEX checkins_by_attendee ON checkins (attendee_id, kind, id);
CREATE INDEX checkins_by_undoes ON checkins (undoes) WHERE undoes IS NOT NULL;
CREATE INDEX checkins_by_station ON checkins (station, kind, id);
CREATE TRIGGER checkins_no_update BEFORE UPDATE ON checkins BEGIN
  SELECT RAISE(ABORT, 'checkins is an append-only log');
END;
CREATE TRIGGER checkins_no_delete BEFORE DELETE ON checkins BEGIN
  SELECT RAISE(ABORT, 'checkins is an append-only log');
END;

-- Badge print queue: queued -> printing -> done | failed (schema 6 adds
-- cancelled: queued -> cancelled). A job in
-- 'printing' with a printer_job_id was handed to the printer; without one it
-- may or may not have been (a crash between the two), which the daemon checks
-- by the job's title before it submits again.
CREATE TABLE print_jobs (
  id             INTEGER PRIMARY KEY,
  token          TEXT NOT NULL UNIQUE,        -- random: names the job at the printer
  attendee_id    INTEGER NOT NULL REFERENCES attendees (id),
  checkin_id     INTEGER REFERENCES checkins (id),
  station        TEXT NOT NULL DEFAULT '',
  state          TEXT NOT NULL DEFAULT 'queued'
                 CHECK (state IN ('queued', 'printing', 'done', 'failed')),
  attempts       INTEGER NOT NULL DEFAULT 0,
  last_error     TEXT NOT NULL DEFAULT '',
  claimed_by     TEXT NOT NULL DEFAULT '',
  printer        TEXT NOT NULL DEFAULT '',
  printer_job_id TEXT NOT NULL DEFAULT '',
  not_before     TEXT NOT NULL DEFAULT '',   -- retry backoff: not claimed before this
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL
);
CREATE INDEX print_jobs_by_state ON print_jobs (state, id);

-- What each import or sync did, for the organizer and for support.
CREATE TABLE imports (
  id              INTEGER PRIMARY KEY,
  at              TEXT NOT NULL,
  format          TEXT NOT NULL,
  origin          TEXT NOT NULL,   -- file name or API endpoint, never credentials
  encoding        TEXT NOT NULL DEFAULT '',
  rows            INTEGER NOT NULL,
  added           INTEGER NOT NULL,
  updated         INTEGER NOT NULL,
  cancelled       INTEGER NOT NULL,
  unchanged       INTEGER NOT NULL,
  missing         INTEGER NOT NULL,
  missing_cancelled INTEGER NOT NULL
);
)sql",
    // 1 -> 2: a big import writes its new tickets in short transactions.
    R"sql(
-- An import that adds many tickets writes them in several short transactions
-- (the doors' redeems wait for the write lock), each row marked with the
-- import's run. A ticket whose run is still listed here exists for nobody:
-- every reader of attendees checks it (kVisible in db/attendee_row.h). The
-- import's final transaction deletes its run row, so all its tickets appear
-- at once; a run whose importer died stops moving alive_at and is cleared,
-- rows first, by the next import. Rows keep their run id afterwards, so ids
-- are never reused (AUTOINCREMENT).
CREATE TABLE import_runs (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  source     TEXT NOT NULL,
  started_at TEXT NOT NULL,
  alive_at   TEXT NOT NULL,
  clearing   INTEGER NOT NULL DEFAULT 0  -- being removed: its importer must stop
);
ALTER TABLE attendees ADD COLUMN import_run INTEGER;
)sql",
    // 2 -> 3: the devices a venue hub serves (issue 10).
    R"sql(
-- Each station, printing station or organizer laptop the hub answers, with
-- only the SHA-256 of its secrets: a copied database file lets nobody pair or
-- act as a device. Revoked rows stay for the record (who was let in by which
-- device); the name is unique only among devices not revoked, so the name of
-- a lost laptop can be given to its replacement once the old one is revoked.
CREATE TABLE devices (
  id                 INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: later rows name a device by it
  name               TEXT NOT NULL,   -- what the organizer typed, shown in lists
  role               TEXT NOT NULL CHECK (role IN ('scan', 'desk', 'print', 'admin')),
  token_hash         TEXT UNIQUE,     -- of the long-lived token; NULL until paired
  pairing_hash       TEXT NOT NULL UNIQUE,  -- of the one-time secret; kept after use, so a
                                            -- second use is told "already used", not "unknown"
  pairing_expires_at TEXT NOT NULL,   -- the secret is refused from then on
  created_at         TEXT NOT NULL,
  paired_at          TEXT,            -- set once: the secret is spent
  last_seen_at       TEXT,            -- last authenticated request, to the minute (not every request writes)
  revoked_at         TEXT             -- set once: its token and secret are refused for good
);
CREATE UNIQUE INDEX devices_live_name ON devices (name) WHERE revoked_at IS NULL;
)sql",
    // 3 -> 4: stations keep a replica of the event; conflicts (issue 10).
    R"sql(
-- Every write to an attendee gives the row the next revision, so a station
-- asks for what changed after the last (rev, id) it has. Rows an import
-- writes ahead carry their run's revision (import_runs.rev) and appear only
-- when the run ends; the feed never moves a station past a run still listed
-- (db/changes.cc), so those rows are never skipped.
ALTER TABLE attendees ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;
CREATE INDEX attendees_by_rev ON attendees (rev, id);
ALTER TABLE import_runs ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;

-- 1 for a check-in a station decided alone, cut off from the hub, and
-- uploaded later; its `at` is the scan time by the hub's clock.
ALTER TABLE checkins ADD COLUMN offline INTEGER NOT NULL DEFAULT 0;

-- One ticket admitted twice by stations that could not see each other. Both
-- check-ins stay in the log; the earlier scan is the admission, the later
-- one the conflict. One row per later admission.
CREATE TABLE conflicts (
  id             INTEGER PRIMARY KEY,
  attendee_id    INTEGER NOT NULL REFERENCES attendees (id),
  first_checkin  INTEGER NOT NULL REFERENCES checkins (id),
  second_checkin INTEGER NOT NULL UNIQUE REFERENCES checkins (id),
  gap_ms         INTEGER NOT NULL,  -- between the two scans
  found_at       TEXT NOT NULL
);
CREATE INDEX conflicts_by_attendee ON conflicts (attendee_id);

-- What each station last said of its replica, for `hub device list`: how
-- many of its check-ins wait to be uploaded, the newest check-in of the
-- hub's log it has, and when it last pulled (refreshed at most every few
-- seconds, like last_seen_at).
ALTER TABLE devices ADD COLUMN outbox INTEGER;
ALTER TABLE devices ADD COLUMN replica_checkin INTEGER;
ALTER TABLE devices ADD COLUMN pulled_at TEXT;
)sql",
    // 4 -> 5: the pages: login links, PINs per role, browser sessions (issue 11).
    R"sql(
-- A one-time link `checkin hub open` prints: the first browser to follow it
-- before it expires is logged in with its role (and, for a door screen, its
-- station). Only the SHA-256 of the secret is kept.
CREATE TABLE web_links (
  id          INTEGER PRIMARY KEY,
  secret_hash TEXT NOT NULL UNIQUE,
  role        TEXT NOT NULL CHECK (role IN ('scan', 'desk', 'print', 'admin')),
  station     TEXT NOT NULL DEFAULT '',
  created_at  TEXT NOT NULL,
  expires_at  TEXT NOT NULL,
  used_at     TEXT              -- set once: the link is spent
);

-- The PIN an admin set for a role (none by default: no PIN, no PIN login).
-- scrypt with a salt of its own, since PINs are short; wrong tries are
-- counted and lock the role's PIN for a while.
CREATE TABLE web_pins (
  role         TEXT PRIMARY KEY CHECK (role IN ('scan', 'desk', 'print', 'admin')),
  salt         TEXT NOT NULL,
  hash         TEXT NOT NULL,
  set_at       TEXT NOT NULL,
  failures     INTEGER NOT NULL DEFAULT 0,
  locked_until TEXT NOT NULL DEFAULT ''
);

-- A logged-in browser. The cookie holds the token, of which only the hash
-- is kept; `csrf` is the value every state change must echo in a header.
CREATE TABLE web_sessions (
  id         INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  csrf       TEXT NOT NULL,
  role       TEXT NOT NULL CHECK (role IN ('scan', 'desk', 'print', 'admin')),
  station    TEXT NOT NULL DEFAULT '',
  how        TEXT NOT NULL CHECK (how IN ('link', 'pin')),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  ended_at   TEXT               -- logged out
);

-- The dashboard's arrivals chart reads admissions by time every time a
-- station writes; without this it would read the whole log each time.
CREATE INDEX checkins_admitted_by_at ON checkins (at) WHERE kind = 'admitted';
)sql",
    // 5 -> 6: the print desk: cancelled jobs, reprint reasons, the printers
    // (issue 11).
    R"sql(
-- SQLite cannot widen a CHECK in place: the queue is copied into a table
-- that also knows 'cancelled' (a job the print desk took off the queue) and
-- keeps why a badge is printed again.
CREATE TABLE print_jobs_6 (
  id             INTEGER PRIMARY KEY,
  token          TEXT NOT NULL UNIQUE,
  attendee_id    INTEGER NOT NULL REFERENCES attendees (id),
  checkin_id     INTEGER REFERENCES checkins (id),
  station        TEXT NOT NULL DEFAULT '',
  state          TEXT NOT NULL DEFAULT 'queued'
                 CHECK (state IN ('queued', 'printing', 'done', 'failed', 'cancelled')),
  attempts       INTEGER NOT NULL DEFAULT 0,
  last_error     TEXT NOT NULL DEFAULT '',
  claimed_by     TEXT NOT NULL DEFAULT '',
  printer        TEXT NOT NULL DEFAULT '',
  printer_job_id TEXT NOT NULL DEFAULT '',
  not_before     TEXT NOT NULL DEFAULT '',
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  reason         TEXT NOT NULL DEFAULT ''     -- why printed again; '' for a first badge
);
INSERT INTO print_jobs_6 (id, token, attendee_id, checkin_id, station, state, attempts,
                          last_error, claimed_by, printer, printer_job_id, not_before,
                          created_at, updated_at)
  SELECT id, token, attendee_id, checkin_id, station, state, attempts, last_error, claimed_by,
         printer, printer_job_id, not_before, created_at, updated_at FROM print_jobs;
DROP TABLE print_jobs;
ALTER TABLE print_jobs_6 RENAME TO print_jobs;
CREATE INDEX print_jobs_by_state ON print_jobs (state, id);

-- Each print daemon's printer as it last reported it, for the print desk,
-- and whether the desk paused that daemon's printing (`held`: it claims
-- nothing until resumed; a badge already at the printer finishes).
CREATE TABLE printers (
  worker      TEXT PRIMARY KEY,              -- the daemon's stable id
  station     TEXT NOT NULL DEFAULT '',
  printer     TEXT NOT NULL DEFAULT '',
  reachable   INTEGER NOT NULL DEFAULT 0,
  accepting   INTEGER NOT NULL DEFAULT 0,
  paused      INTEGER NOT NULL DEFAULT 0,    -- the printer's own pause (CUPS)
  reasons     TEXT NOT NULL DEFAULT '',      -- CUPS's words, e.g. media-empty
  held        INTEGER NOT NULL DEFAULT 0,
  held_by     TEXT NOT NULL DEFAULT '',
  reported_at TEXT NOT NULL,
  changed_at  TEXT NOT NULL                  -- when the state above last changed
);
)sql",
    // 6 -> 7: a paired device logs its own browser in (`checkin station open`).
    R"sql(
-- The device a link was asked for by, and the session that link started:
-- revoking the device refuses both from then on. NULL for `hub open` links
-- and PINs, which belong to no device.
ALTER TABLE web_links ADD COLUMN device_id INTEGER REFERENCES devices (id);
ALTER TABLE web_sessions ADD COLUMN device_id INTEGER REFERENCES devices (id);
)sql",
    // 7 -> 8: what a registration platform says beyond the roster (issue 12).
    R"sql(
-- Refusals the platform decides per ticket: `blocked` holds its reasons
-- (pretix's "blocked" list, joined by ", "; '' when not blocked), and a
-- ticket admits only from valid_from until valid_until (UTC, as FormatUtc
-- writes; '' when open on that side).
ALTER TABLE attendees ADD COLUMN blocked TEXT NOT NULL DEFAULT '';
ALTER TABLE attendees ADD COLUMN valid_from TEXT NOT NULL DEFAULT '';
ALTER TABLE attendees ADD COLUMN valid_until TEXT NOT NULL DEFAULT '';

-- pretix's signed tickets (pretix_sig1): the event's public keys, as the
-- platform publishes them, checked by each scan of a code not in the roster.
-- Replaced by every sync of the source.
CREATE TABLE signing_keys (
  source TEXT NOT NULL,
  key    TEXT NOT NULL,  -- base64 of a PEM Ed25519 public key
  PRIMARY KEY (source, key)
) WITHOUT ROWID;

-- The platform's products, so a signed ticket not yet synced is shown and
-- let through gates by its ticket type. Replaced by every sync of the source.
CREATE TABLE platform_items (
  source    TEXT NOT NULL,
  item_id   INTEGER NOT NULL,
  name      TEXT NOT NULL,
  admission INTEGER NOT NULL,
  PRIMARY KEY (source, item_id)
) WITHOUT ROWID;

-- Ticket codes the platform refuses outright: 'revoked' (a secret replaced
-- or a ticket withdrawn: answered as cancelled) and 'blocked' (answered as
-- not allowed). Replaced by every sync of the source.
CREATE TABLE barred_codes (
  code   TEXT NOT NULL,
  kind   TEXT NOT NULL CHECK (kind IN ('revoked', 'blocked')),
  source TEXT NOT NULL,
  PRIMARY KEY (code, kind)
) WITHOUT ROWID;

-- Raised by every sync that replaces the rules above, so stations' replicas
-- (db/changes.h) fetch them again only when they changed.
CREATE TABLE platform_rules_rev (
  id  INTEGER PRIMARY KEY CHECK (id = 1),
  rev INTEGER NOT NULL
);

-- Check-ins sent back to the registration platform (pretix's redeem, so its
-- backend shows attendance too): one row per admission once the platform
-- answered, 'sent' or 'refused' with its reason. The rest are pending.
CREATE TABLE platform_uploads (
  checkin_id INTEGER PRIMARY KEY REFERENCES checkins (id),
  source     TEXT NOT NULL,
  outcome    TEXT NOT NULL CHECK (outcome IN ('sent', 'refused')),
  detail     TEXT NOT NULL DEFAULT '',
  at         TEXT NOT NULL
);
)sql",
    // 8 -> 9: roster sync from the registration platform's API (issue 12).
    R"sql(
-- One row per sync pass (`roster sync`, its --every loop, the hub's loop),
-- for `roster sync --status` and for the next pass to resume from. The
-- tickets a pass changed are in attendees and its counts in imports too;
-- a failed pass changed no ticket and is only here. Old passes are pruned
-- (db/sync_state.cc). Never a token: `error` is scrubbed before it is kept.
CREATE TABLE sync_passes (
  id          INTEGER PRIMARY KEY,
  source      TEXT NOT NULL,            -- the roster's source: pretix, eventbrite, sympla
  target      TEXT NOT NULL,            -- platform, URL and event: a cursor is good for its own only
  started_at  TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  ok          INTEGER NOT NULL CHECK (ok IN (0, 1)),
  full        INTEGER NOT NULL CHECK (full IN (0, 1)),  -- listed every ticket (finds missing ones)
  rows        INTEGER NOT NULL DEFAULT 0,
  added       INTEGER NOT NULL DEFAULT 0,
  updated     INTEGER NOT NULL DEFAULT 0,
  cancelled   INTEGER NOT NULL DEFAULT 0,
  unchanged   INTEGER NOT NULL DEFAULT 0,
  missing     INTEGER NOT NULL DEFAULT 0,
  cursor      TEXT NOT NULL DEFAULT '', -- where the next incremental pass starts; '' if it failed
  error       TEXT NOT NULL DEFAULT '', -- why it failed, in words
  next_at     TEXT NOT NULL DEFAULT ''  -- when its loop runs the next; '' for a pass run by hand
);
CREATE INDEX sync_passes_by_target ON sync_passes (target, id);
)sql",
    // 9 -> 10: the key of the certificates of attendance (issue 13).
    R"sql(
-- The event's secret key for the verification codes on certificates of
-- attendance: a code is a MAC of the ticket under it (common/certificate_code.h),
-- so nobody without this file can make one that `certificates verify` accepts.
-- Made on first use, never changed: changing it would void every certificate
-- already handed out.
CREATE TABLE certificate_key (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  secret     TEXT NOT NULL,  -- hex
  created_at TEXT NOT NULL
);
)sql",
};

}  // namespace checkin::db
