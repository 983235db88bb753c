//! The monitoring state: one SQLite database, `<store>/policydiff.db`, holding the
//! watches, the versions and steps recorded for each, and the notifications outbox.
//!
//! Every change of state is one transaction, so a check killed at any moment leaves
//! the state as it was before or after a whole step of work, never between. The
//! schema is versioned (`PRAGMA user_version`, one migration per release that changed
//! it) and marked as ours (`PRAGMA application_id`), so a damaged file, another
//! program's database or one written by a newer policydiff is refused with one line
//! and left untouched. A new database is built under a temporary name and linked into
//! place, so a crash never leaves a half-made one and two first runs cannot race.
//!
//! What this module does not do: talk to the network, diff, or decide what a version
//! is. It stores what [`crate::monitor`] computed.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{params, Connection, OpenFlags, OptionalExtension, TransactionBehavior};

use crate::document::Document;
use crate::error::{Error, Result};
use crate::history::CaptureRef;

/// The database's file name inside the store.
pub const FILE_NAME: &str = "policydiff.db";

/// `PRAGMA application_id` of a policydiff state database: "PDIF".
pub const APPLICATION_ID: u32 = 0x5044_4946;

/// Schema migrations, oldest first; migration `i` takes `user_version` from `i` to
/// `i + 1`. Released migrations are never edited: a change is a new one at the end.
const MIGRATIONS: &[&str] = &[
    // 1: the first release.
    "CREATE TABLE watches (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        url TEXT NOT NULL UNIQUE,
        select_css TEXT,
        remove_css TEXT,
        live INTEGER NOT NULL DEFAULT 0,
        -- timestamp of the newest archive capture seen in a listing
        last_capture TEXT,
        -- RFC 3339, when a check of this watch last ended
        last_checked TEXT,
        -- validators of the live page, for conditional GET
        live_etag TEXT,
        live_last_modified TEXT,
        added_at TEXT NOT NULL
    );
    CREATE TABLE versions (
        id INTEGER PRIMARY KEY,
        watch_id INTEGER NOT NULL REFERENCES watches(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        captures INTEGER NOT NULL,
        title TEXT,
        stated_date TEXT,
        -- the earlier version whose text this one is again
        same_as INTEGER,
        -- 'archive' or 'live': where it was seen first
        origin TEXT NOT NULL,
        -- the first and last capture showing it (JSON: label, timestamp, digest, memento)
        first_capture TEXT NOT NULL,
        last_capture TEXT NOT NULL,
        -- the normalized policy, as JSON
        document TEXT NOT NULL,
        UNIQUE (watch_id, idx)
    );
    CREATE TABLE steps (
        id INTEGER PRIMARY KEY,
        watch_id INTEGER NOT NULL REFERENCES watches(id) ON DELETE CASCADE,
        from_version INTEGER NOT NULL,
        to_version INTEGER NOT NULL,
        window_before TEXT,
        -- the step as the changelog's JSON gives it
        json TEXT NOT NULL,
        recorded_at TEXT NOT NULL
    );
    CREATE TABLE notifications (
        id INTEGER PRIMARY KEY,
        step_id INTEGER NOT NULL REFERENCES steps(id) ON DELETE CASCADE,
        -- 'webhook' or 'command'
        kind TEXT NOT NULL,
        target TEXT NOT NULL,
        payload TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        delivered_at TEXT,
        UNIQUE (step_id, kind, target)
    );
    CREATE INDEX notifications_pending ON notifications (id) WHERE delivered_at IS NULL;",
    // 2: captures the archive could not serve, counted over checks until given up.
    "CREATE TABLE capture_failures (
        watch_id INTEGER NOT NULL REFERENCES watches(id) ON DELETE CASCADE,
        -- the listing's timestamp of the capture
        timestamp TEXT NOT NULL,
        -- checks in a row that could not fetch it
        failures INTEGER NOT NULL,
        last_error TEXT NOT NULL,
        PRIMARY KEY (watch_id, timestamp)
    );",
    // 3: a delivery begun and not finished (the check was killed): its outcome is unknown.
    "ALTER TABLE notifications ADD COLUMN sending_since TEXT;",
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// How long a statement waits for another process's write transaction.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// One watched URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Watch {
    pub id: i64,
    pub name: String,
    pub url: String,
    pub select: Option<String>,
    pub remove: Option<String>,
    pub live: bool,
    pub last_capture: Option<String>,
    pub last_checked: Option<String>,
    pub live_etag: Option<String>,
    pub live_last_modified: Option<String>,
    pub added_at: String,
}

/// What `watch add` records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWatch {
    pub name: String,
    pub url: String,
    pub select: Option<String>,
    pub remove: Option<String>,
    pub live: bool,
}

/// A watch with what `watch list` shows about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchStatus {
    pub watch: Watch,
    /// When the newest recorded version was first seen (14-digit timestamp).
    pub last_version: Option<String>,
    pub versions: i64,
    pub pending: i64,
}

/// Where a version was seen: in the archive, or on the live page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Archive,
    Live,
}

impl Origin {
    fn as_str(self) -> &'static str {
        match self {
            Origin::Archive => "archive",
            Origin::Live => "live",
        }
    }
}

/// A recorded version of a watched policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Version {
    /// 0 for the baseline, counting up.
    pub index: i64,
    pub first_seen: String,
    pub last_seen: String,
    pub captures: i64,
    pub title: Option<String>,
    pub stated_date: Option<String>,
    pub same_as: Option<i64>,
    pub origin: Origin,
    pub first: CaptureRef,
    pub last: CaptureRef,
    pub document: Document,
}

/// A step to record, with what to announce for it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewStep {
    pub from_version: i64,
    pub to_version: i64,
    pub window_before: Option<String>,
    /// The step as the changelog's JSON gives it.
    pub json: serde_json::Value,
    /// One notification per target, with its payload.
    pub notifications: Vec<(Target, String)>,
}

/// Where a notification goes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    /// POST to this URL.
    Webhook(String),
    /// Run this shell command with the payload on standard input.
    Command(String),
}

impl Target {
    fn kind(&self) -> &'static str {
        match self {
            Target::Webhook(_) => "webhook",
            Target::Command(_) => "command",
        }
    }
    fn value(&self) -> &str {
        match self {
            Target::Webhook(s) | Target::Command(s) => s,
        }
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Target::Webhook(url) => write!(f, "webhook {url}"),
            Target::Command(cmd) => write!(f, "command `{cmd}`"),
        }
    }
}

/// A notification not yet delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub id: i64,
    pub step_id: i64,
    pub watch: String,
    pub target: Target,
    pub payload: String,
    pub attempts: i64,
    /// A delivery of it began (in an earlier check) and its outcome was never
    /// recorded: the receiver may have it already.
    pub interrupted: bool,
}

/// What one check of a watch found, recorded in one transaction.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CheckRecord {
    /// The newest capture timestamp seen in the listing.
    pub last_capture: Option<String>,
    /// The newest recorded version was seen again: up to this capture, in this many
    /// more captures.
    pub extend_last: Option<(CaptureRef, i64)>,
    pub versions: Vec<Version>,
    pub steps: Vec<NewStep>,
    /// New validators of the live page (`None`: keep the old ones).
    pub live_validators: Option<(Option<String>, Option<String>)>,
    /// A capture the archive could not serve this time, held for the next check:
    /// its timestamp and the error. Its count of failed checks goes up by one.
    pub held: Option<(String, String)>,
    /// RFC 3339.
    pub checked_at: String,
}

/// An open state database.
pub struct Db {
    conn: Connection,
    path: PathBuf,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db").field("path", &self.path).finish()
    }
}

/// Now, RFC 3339 in UTC to the second.
pub fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl Db {
    /// Opens `<store>/policydiff.db`, creating it (and the store) when missing and
    /// migrating an older schema. A file that is not ours, is damaged or is newer is
    /// refused and left untouched.
    pub fn open(store: &Path) -> Result<Db> {
        let path = store.join(FILE_NAME);
        if !path.exists() {
            fs::create_dir_all(store).map_err(|e| Error::store(store, e.to_string()))?;
            create(&path)?;
        }
        let version = check_header(&path)?;
        let conn = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_WRITE)
            .map_err(|e| damaged(&path, &e))?;
        let mut db = Db { conn, path };
        db.conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| db.error(e))?;
        let check: String =
            db.conn.query_row("PRAGMA quick_check", [], |r| r.get(0)).map_err(|e| damaged(&db.path, &e))?;
        if check != "ok" {
            return Err(Error::store(
                &db.path,
                format!("the state database is damaged ({check}); policydiff left it untouched: move it away and re-add the watches"),
            ));
        }
        db.conn.pragma_update(None, "foreign_keys", true).map_err(|e| db.error(e))?;
        db.durable(false)?;
        if version < SCHEMA_VERSION {
            db.migrate(version)?;
        }
        Ok(db)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn error(&self, e: rusqlite::Error) -> Error {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) => {
                damaged(&self.path, &e)
            }
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => Error::store(
                &self.path,
                format!("the state database stayed busy for {} s ({e})", BUSY_TIMEOUT.as_secs()),
            ),
            _ => Error::store(&self.path, e.to_string()),
        }
    }

    fn migrate(&mut self, from: u32) -> Result<()> {
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(from as usize) {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(|e| Error::store(&self.path, e.to_string()))?;
            // Another process may have migrated while this one waited for the lock.
            let now: u32 = tx.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap_or(0);
            if now > i as u32 {
                continue;
            }
            tx.execute_batch(sql)
                .and_then(|_| tx.pragma_update(None, "user_version", i as u32 + 1))
                .and_then(|_| tx.commit())
                .map_err(|e| {
                    Error::store(&self.path, format!("migration to schema {} failed: {e}", i + 1))
                })?;
        }
        Ok(())
    }

    /// How the next commits reach the disk. In WAL mode, `NORMAL` commits survive a
    /// killed process but may be lost with a power cut (no fsync: 0.05 ms instead of
    /// ~5 ms here); `FULL` syncs the log at commit, and with it every commit before.
    /// Recorded versions, steps and deliveries are `FULL`; an idle check's time is not.
    fn durable(&mut self, full: bool) -> Result<()> {
        let level = if full { "FULL" } else { "NORMAL" };
        self.conn.pragma_update(None, "synchronous", level).map_err(|e| self.error(e))
    }

    /// Adds a watch. A URL or a name already watched is an error naming the other watch.
    pub fn add_watch(&mut self, new: &NewWatch) -> Result<Watch> {
        self.durable(true)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| db_err(&self.path, e))?;
        let same: Option<(String, String)> = tx
            .query_row(
                "SELECT name, url FROM watches WHERE name = ?1 OR url = ?2",
                params![new.name, new.url],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| db_err(&self.path, e))?;
        if let Some((name, url)) = same {
            let message = if url == new.url {
                format!("already watched as '{name}' (see `policydiff watch list`)")
            } else {
                format!("the name '{name}' is already taken by {url}; choose another with --name")
            };
            return Err(Error::input(&new.url, message));
        }
        tx.execute(
            "INSERT INTO watches (name, url, select_css, remove_css, live, added_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![new.name, new.url, new.select, new.remove, new.live, now_rfc3339()],
        )
        .map_err(|e| db_err(&self.path, e))?;
        let id = tx.last_insert_rowid();
        tx.commit().map_err(|e| db_err(&self.path, e))?;
        self.watch_by_id(id)
    }

    /// Removes a watch with its versions, steps and notifications (the store's
    /// captures stay). False when no watch has that name.
    pub fn remove_watch(&mut self, name: &str) -> Result<bool> {
        self.durable(true)?;
        let n =
            self.conn.execute("DELETE FROM watches WHERE name = ?1", [name]).map_err(|e| self.error(e))?;
        Ok(n > 0)
    }

    fn watch_by_id(&self, id: i64) -> Result<Watch> {
        self.conn
            .query_row(&format!("SELECT {WATCH_COLUMNS} FROM watches WHERE id = ?1"), [id], read_watch)
            .map_err(|e| self.error(e))
    }

    /// The watch named `name`.
    pub fn watch(&self, name: &str) -> Result<Option<Watch>> {
        self.conn
            .query_row(&format!("SELECT {WATCH_COLUMNS} FROM watches WHERE name = ?1"), [name], read_watch)
            .optional()
            .map_err(|e| self.error(e))
    }

    /// Every watch, least recently checked first (never checked before all), then by name.
    pub fn watches_by_last_check(&self) -> Result<Vec<Watch>> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {WATCH_COLUMNS} FROM watches ORDER BY last_checked IS NOT NULL, last_checked, name"
            ))
            .map_err(|e| self.error(e))?;
        let rows = stmt.query_map([], read_watch).map_err(|e| self.error(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(|e| self.error(e))
    }

    /// Every watch by name, with its newest version's date and pending notifications.
    pub fn statuses(&self) -> Result<Vec<WatchStatus>> {
        let cols: String = WATCH_COLUMNS.split(", ").map(|c| format!("w.{c}")).collect::<Vec<_>>().join(", ");
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {cols},
                    (SELECT first_seen FROM versions v WHERE v.watch_id = w.id ORDER BY idx DESC LIMIT 1),
                    (SELECT count(*) FROM versions v WHERE v.watch_id = w.id),
                    (SELECT count(*) FROM notifications n JOIN steps s ON s.id = n.step_id
                        WHERE s.watch_id = w.id AND n.delivered_at IS NULL)
                 FROM watches w ORDER BY w.name"
            ))
            .map_err(|e| self.error(e))?;
        let n = WATCH_COLUMNS.split(", ").count();
        let rows = stmt
            .query_map([], |r| {
                Ok(WatchStatus {
                    watch: read_watch(r)?,
                    last_version: r.get(n)?,
                    versions: r.get(n + 1)?,
                    pending: r.get(n + 2)?,
                })
            })
            .map_err(|e| self.error(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(|e| self.error(e))
    }

    /// The newest recorded version of a watch.
    pub fn last_version(&self, watch_id: i64) -> Result<Option<Version>> {
        self.conn
            .query_row(
                &format!(
                    "SELECT {VERSION_COLUMNS} FROM versions WHERE watch_id = ?1 ORDER BY idx DESC LIMIT 1"
                ),
                [watch_id],
                read_version,
            )
            .optional()
            .map_err(|e| self.error(e))
            .and_then(|v| v.transpose().map_err(|m| Error::store(&self.path, m)))
    }

    /// When the newest recorded version of a watch was last seen; `None` before its
    /// baseline. Cheap: no document is read.
    pub fn last_seen(&self, watch_id: i64) -> Result<Option<String>> {
        self.conn
            .query_row("SELECT max(last_seen) FROM versions WHERE watch_id = ?1", [watch_id], |r| r.get(0))
            .map_err(|e| self.error(e))
    }

    /// How many checks in a row could not fetch each capture of a watch that is still
    /// held (by the listing's timestamp).
    pub fn capture_failures(&self, watch_id: i64) -> Result<std::collections::HashMap<String, i64>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT timestamp, failures FROM capture_failures WHERE watch_id = ?1")
            .map_err(|e| self.error(e))?;
        let rows = stmt.query_map([watch_id], |r| Ok((r.get(0)?, r.get(1)?))).map_err(|e| self.error(e))?;
        rows.collect::<rusqlite::Result<_>>().map_err(|e| self.error(e))
    }

    /// Every recorded version of a watch, oldest first.
    pub fn versions(&self, watch_id: i64) -> Result<Vec<Version>> {
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {VERSION_COLUMNS} FROM versions WHERE watch_id = ?1 ORDER BY idx"))
            .map_err(|e| self.error(e))?;
        let rows = stmt.query_map([watch_id], read_version).map_err(|e| self.error(e))?;
        let rows = rows.collect::<rusqlite::Result<Vec<_>>>().map_err(|e| self.error(e))?;
        rows.into_iter().map(|v| v.map_err(|m| Error::store(&self.path, m))).collect()
    }

    /// Every recorded step of a watch as the changelog's JSON gives it, oldest first.
    pub fn steps(&self, watch_id: i64) -> Result<Vec<serde_json::Value>> {
        let mut stmt = self
            .conn
            .prepare("SELECT json FROM steps WHERE watch_id = ?1 ORDER BY id")
            .map_err(|e| self.error(e))?;
        let rows = stmt.query_map([watch_id], |r| r.get::<_, String>(0)).map_err(|e| self.error(e))?;
        let rows = rows.collect::<rusqlite::Result<Vec<_>>>().map_err(|e| self.error(e))?;
        rows.iter()
            .map(|s| {
                serde_json::from_str(s)
                    .map_err(|e| Error::store(&self.path, format!("a recorded step is unreadable: {e}")))
            })
            .collect()
    }

    /// Records what one check of a watch found, in one transaction: the watch's last
    /// capture and check time, its new versions, its steps and, for each step, one
    /// pending notification per target. Returns the ids of the steps recorded.
    pub fn record_check(&mut self, watch_id: i64, record: &CheckRecord) -> Result<Vec<i64>> {
        // A new version or step must survive a power cut before anything is announced;
        // the time of an idle check need not.
        self.durable(
            !record.versions.is_empty() || !record.steps.is_empty() || record.extend_last.is_some(),
        )?;
        let path = self.path.clone();
        let err = |e: rusqlite::Error| db_err(&path, e);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(err)?;
        tx.execute(
            "UPDATE watches SET last_checked = ?2, last_capture = coalesce(?3, last_capture) WHERE id = ?1",
            params![watch_id, record.checked_at, record.last_capture],
        )
        .map_err(err)?;
        // Failures of captures now behind the watch (fetched, or given up) are over.
        tx.execute(
            "DELETE FROM capture_failures WHERE watch_id = ?1
               AND timestamp <= (SELECT last_capture FROM watches WHERE id = ?1)",
            [watch_id],
        )
        .map_err(err)?;
        if let Some((timestamp, error)) = &record.held {
            tx.execute(
                "INSERT INTO capture_failures (watch_id, timestamp, failures, last_error) VALUES (?1, ?2, 1, ?3)
                 ON CONFLICT (watch_id, timestamp) DO UPDATE SET failures = failures + 1, last_error = ?3",
                params![watch_id, timestamp, error],
            )
            .map_err(err)?;
        }
        if let Some((etag, modified)) = &record.live_validators {
            tx.execute(
                "UPDATE watches SET live_etag = ?2, live_last_modified = ?3 WHERE id = ?1",
                params![watch_id, etag, modified],
            )
            .map_err(err)?;
        }
        let json = |v: &dyn erased::Json| v.json().map_err(|e| Error::store(&path, e.to_string()));
        if let Some((last, more)) = &record.extend_last {
            tx.execute(
                "UPDATE versions SET last_seen = ?2, last_capture = ?3, captures = captures + ?4
                 WHERE watch_id = ?1 AND idx = (SELECT max(idx) FROM versions WHERE watch_id = ?1)",
                params![watch_id, last.label, json(last)?, more],
            )
            .map_err(err)?;
        }
        for v in &record.versions {
            tx.execute(
                "INSERT INTO versions (watch_id, idx, first_seen, last_seen, captures, title, stated_date,
                    same_as, origin, first_capture, last_capture, document)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                params![
                    watch_id,
                    v.index,
                    v.first_seen,
                    v.last_seen,
                    v.captures,
                    v.title,
                    v.stated_date,
                    v.same_as,
                    v.origin.as_str(),
                    json(&v.first)?,
                    json(&v.last)?,
                    json(&v.document)?
                ],
            )
            .map_err(err)?;
        }
        let mut ids = Vec::new();
        for s in &record.steps {
            tx.execute(
                "INSERT INTO steps (watch_id, from_version, to_version, window_before, json, recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    watch_id,
                    s.from_version,
                    s.to_version,
                    s.window_before,
                    s.json.to_string(),
                    record.checked_at
                ],
            )
            .map_err(err)?;
            let step_id = tx.last_insert_rowid();
            ids.push(step_id);
            for (target, payload) in &s.notifications {
                tx.execute(
                    "INSERT INTO notifications (step_id, kind, target, payload) VALUES (?1, ?2, ?3, ?4)",
                    params![step_id, target.kind(), target.value(), payload],
                )
                .map_err(err)?;
            }
        }
        tx.commit().map_err(err)?;
        Ok(ids)
    }

    /// Every notification not yet delivered, in the order the steps were recorded.
    pub fn pending(&self) -> Result<Vec<Notification>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT n.id, n.step_id, w.name, n.kind, n.target, n.payload, n.attempts, n.sending_since IS NOT NULL
                 FROM notifications n JOIN steps s ON s.id = n.step_id JOIN watches w ON w.id = s.watch_id
                 WHERE n.delivered_at IS NULL ORDER BY n.id",
            )
            .map_err(|e| self.error(e))?;
        let rows = stmt
            .query_map([], |r| {
                let kind: String = r.get(3)?;
                let target: String = r.get(4)?;
                Ok(Notification {
                    id: r.get(0)?,
                    step_id: r.get(1)?,
                    watch: r.get(2)?,
                    target: if kind == "command" { Target::Command(target) } else { Target::Webhook(target) },
                    payload: r.get(5)?,
                    attempts: r.get(6)?,
                    interrupted: r.get(7)?,
                })
            })
            .map_err(|e| self.error(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(|e| self.error(e))
    }

    /// Marks a notification delivered (idempotent).
    pub fn mark_delivered(&mut self, id: i64) -> Result<()> {
        self.durable(true)?;
        self.conn
            .execute(
                "UPDATE notifications SET delivered_at = ?2, attempts = attempts + 1, last_error = NULL, sending_since = NULL
                 WHERE id = ?1 AND delivered_at IS NULL",
                params![id, now_rfc3339()],
            )
            .map_err(|e| self.error(e))?;
        Ok(())
    }

    /// Notes that a delivery begins, before anything is sent: if the check is killed
    /// before its outcome is marked, the next check knows the receiver may have it.
    pub fn mark_sending(&mut self, id: i64) -> Result<()> {
        self.durable(false)?;
        self.conn
            .execute(
                "UPDATE notifications SET sending_since = coalesce(sending_since, ?2) WHERE id = ?1 AND delivered_at IS NULL",
                params![id, now_rfc3339()],
            )
            .map_err(|e| self.error(e))?;
        Ok(())
    }

    /// Counts a failed delivery; the notification stays pending for the next check.
    /// The receiver answered (or could not be reached): this attempt did not deliver
    /// it, so the mark of a delivery begun is cleared, unless an earlier, interrupted
    /// one (`interrupted`) may still have delivered it.
    pub fn mark_failed(&mut self, id: i64, error: &str, interrupted: bool) -> Result<()> {
        self.conn
            .execute(
                "UPDATE notifications SET attempts = attempts + 1, last_error = ?2,
                    sending_since = CASE WHEN ?3 THEN sending_since END
                 WHERE id = ?1 AND delivered_at IS NULL",
                params![id, error, interrupted],
            )
            .map_err(|e| self.error(e))?;
        Ok(())
    }
}

const WATCH_COLUMNS: &str = "id, name, url, select_css, remove_css, live, last_capture, last_checked, live_etag, live_last_modified, added_at";

fn read_watch(r: &rusqlite::Row<'_>) -> rusqlite::Result<Watch> {
    Ok(Watch {
        id: r.get(0)?,
        name: r.get(1)?,
        url: r.get(2)?,
        select: r.get(3)?,
        remove: r.get(4)?,
        live: r.get(5)?,
        last_capture: r.get(6)?,
        last_checked: r.get(7)?,
        live_etag: r.get(8)?,
        live_last_modified: r.get(9)?,
        added_at: r.get(10)?,
    })
}

const VERSION_COLUMNS: &str =
    "idx, first_seen, last_seen, captures, title, stated_date, same_as, origin, first_capture, last_capture, document";

/// A version row; its JSON columns are read here (the outer error is SQLite's).
fn read_version(r: &rusqlite::Row<'_>) -> rusqlite::Result<std::result::Result<Version, String>> {
    fn parse<T: serde::de::DeserializeOwned>(text: &str) -> std::result::Result<T, String> {
        serde_json::from_str(text).map_err(|e| format!("a recorded version is unreadable: {e}"))
    }
    let origin: String = r.get(7)?;
    let (first, last, document): (String, String, String) = (r.get(8)?, r.get(9)?, r.get(10)?);
    let read = || -> std::result::Result<(CaptureRef, CaptureRef, Document), String> {
        Ok((parse(&first)?, parse(&last)?, parse(&document)?))
    };
    let (first, last, document) = match read() {
        Ok(parts) => parts,
        Err(e) => return Ok(Err(e)),
    };
    Ok(Ok(Version {
        index: r.get(0)?,
        first_seen: r.get(1)?,
        last_seen: r.get(2)?,
        captures: r.get(3)?,
        title: r.get(4)?,
        stated_date: r.get(5)?,
        same_as: r.get(6)?,
        origin: if origin == "live" { Origin::Live } else { Origin::Archive },
        first,
        last,
        document,
    }))
}

/// Values stored as JSON text.
mod erased {
    pub trait Json {
        fn json(&self) -> serde_json::Result<String>;
    }
    impl<T: serde::Serialize> Json for T {
        fn json(&self) -> serde_json::Result<String> {
            serde_json::to_string(self)
        }
    }
}

fn db_err(path: &Path, e: rusqlite::Error) -> Error {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) => damaged(path, &e),
        _ => Error::store(path, e.to_string()),
    }
}

fn damaged(path: &Path, e: &rusqlite::Error) -> Error {
    Error::store(
        path,
        format!("the state database is damaged ({e}); policydiff left it untouched: move it away and re-add the watches"),
    )
}

/// Builds a new database under a temporary name, then links it into place: a crash
/// leaves no half-made file, and of two first runs one creates it, the other uses it.
fn create(path: &Path) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = dir.join(format!(".{FILE_NAME}.tmp-{}-{:08x}", std::process::id(), rand::random::<u32>()));
    let built = (|| -> rusqlite::Result<()> {
        let mut conn = Connection::open(&tmp)?;
        conn.pragma_update(None, "application_id", APPLICATION_ID as i32)?;
        // WAL: readers (`watch list`) never wait for a check; the mode is kept in the file.
        conn.pragma_update_and_check(None, "journal_mode", "wal", |_| Ok(()))?;
        let tx = conn.transaction()?;
        for sql in MIGRATIONS {
            tx.execute_batch(sql)?;
        }
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        tx.commit()?;
        conn.close().map_err(|(_, e)| e)
    })();
    if let Err(e) = built {
        remove_temporary(&tmp);
        return Err(Error::store(path, format!("cannot create the state database: {e}")));
    }
    let linked = fs::hard_link(&tmp, path);
    remove_temporary(&tmp);
    match linked {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(Error::store(path, format!("cannot create the state database: {e}"))),
    }
}

fn remove_temporary(tmp: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = tmp.as_os_str().to_owned();
        p.push(suffix);
        let _ = fs::remove_file(PathBuf::from(p));
    }
}

/// Reads the SQLite header without opening the database: refuses a file that is not
/// SQLite, not ours, or from a newer schema. Returns the schema version.
fn check_header(path: &Path) -> Result<u32> {
    let refuse = |why: String| {
        Err(Error::store(
            path,
            format!("{why}; policydiff left it untouched: move it away to start a new state"),
        ))
    };
    let mut header = [0u8; 100];
    let read = fs::File::open(path).and_then(|mut f| {
        let mut n = 0;
        while n < header.len() {
            match f.read(&mut header[n..])? {
                0 => break,
                k => n += k,
            }
        }
        Ok(n)
    });
    let n = read.map_err(|e| Error::store(path, e.to_string()))?;
    if n < header.len() || &header[..16] != b"SQLite format 3\0" {
        return refuse(
            "is not a policydiff state database (not SQLite: damaged, or another program's file)".into(),
        );
    }
    let word = |at: usize| u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]]);
    let (user_version, application_id) = (word(60), word(68));
    if application_id != APPLICATION_ID {
        return refuse(format!(
            "is another program's SQLite database (application id {application_id:#x}), not policydiff's state"
        ));
    }
    if user_version > SCHEMA_VERSION {
        return Err(Error::store(
            path,
            format!(
                "was written by a newer policydiff (schema {user_version}; this one knows up to {SCHEMA_VERSION}); upgrade policydiff"
            ),
        ));
    }
    Ok(user_version)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        crate::normalize::normalize_markdown(&format!("# Privacy Policy\n\n## Data\n\n{text}\n"))
    }

    fn watch(name: &str, url: &str) -> NewWatch {
        NewWatch { name: name.into(), url: url.into(), select: None, remove: None, live: false }
    }

    fn version(index: i64, ts: &str, text: &str) -> Version {
        Version {
            index,
            first_seen: ts.into(),
            last_seen: ts.into(),
            captures: 1,
            title: Some("Privacy Policy".into()),
            stated_date: None,
            same_as: None,
            origin: Origin::Archive,
            first: CaptureRef::archived("https://web.archive.org", "https://a.example/privacy", ts, None),
            last: CaptureRef::archived("https://web.archive.org", "https://a.example/privacy", ts, None),
            document: doc(text),
        }
    }

    #[test]
    fn a_new_database_is_wal_at_the_current_schema_and_marked_as_ours() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path()).unwrap();
        let mode: String = db.conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
        let version: u32 = db.conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        let app: i64 = db.conn.query_row("PRAGMA application_id", [], |r| r.get(0)).unwrap();
        assert_eq!((mode.as_str(), version, app as u32), ("wal", SCHEMA_VERSION, APPLICATION_ID));
        // No temporary left beside it.
        let names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert!(names.iter().all(|n| !n.contains(".tmp-")), "{names:?}");
    }

    #[test]
    fn the_same_url_or_name_cannot_be_watched_twice() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = Db::open(dir.path()).unwrap();
        db.add_watch(&watch("a", "https://a.example/privacy")).unwrap();
        let same_url = db.add_watch(&watch("b", "https://a.example/privacy")).unwrap_err().to_string();
        assert!(same_url.contains("already watched as 'a'"), "{same_url}");
        let same_name = db.add_watch(&watch("a", "https://b.example/privacy")).unwrap_err().to_string();
        assert!(same_name.contains("name 'a' is already taken"), "{same_name}");
        assert_eq!(db.statuses().unwrap().len(), 1);
    }

    #[test]
    fn a_recorded_step_stays_pending_until_marked_delivered() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = Db::open(dir.path()).unwrap();
        let w = db.add_watch(&watch("a", "https://a.example/privacy")).unwrap();
        let baseline = CheckRecord {
            last_capture: Some("20240101000000".into()),
            versions: vec![version(0, "20240101000000", "We keep data.")],
            checked_at: now_rfc3339(),
            ..Default::default()
        };
        db.record_check(w.id, &baseline).unwrap();
        let hook = Target::Webhook("http://127.0.0.1:9/hook".into());
        let step = NewStep {
            from_version: 0,
            to_version: 1,
            window_before: Some("20240201000000".into()),
            json: serde_json::json!({"from_version": 0, "to_version": 1}),
            notifications: vec![(hook.clone(), "{}".into()), (Target::Command("cat".into()), "{}".into())],
        };
        let changed = CheckRecord {
            last_capture: Some("20240201000000".into()),
            versions: vec![version(1, "20240201000000", "We sell data.")],
            steps: vec![step],
            checked_at: now_rfc3339(),
            ..Default::default()
        };
        db.record_check(w.id, &changed).unwrap();
        let pending = db.pending().unwrap();
        assert_eq!(pending.len(), 2);
        assert_eq!(pending[0].target, hook);
        db.mark_failed(pending[0].id, "503", false).unwrap();
        db.mark_delivered(pending[1].id).unwrap();
        let left = db.pending().unwrap();
        assert_eq!((left.len(), left[0].attempts), (1, 1));
        assert!(!left[0].interrupted, "a failure answered is not an interrupted delivery");
        db.mark_sending(left[0].id).unwrap();
        assert!(db.pending().unwrap()[0].interrupted, "begun, never finished: the receiver may have it");
        db.mark_failed(left[0].id, "503", true).unwrap();
        assert!(db.pending().unwrap()[0].interrupted, "the interrupted delivery may still have arrived");
        let status = &db.statuses().unwrap()[0];
        assert_eq!((status.pending, status.versions), (1, 2));
        assert_eq!(status.last_version.as_deref(), Some("20240201000000"));
        assert_eq!(db.last_version(w.id).unwrap().unwrap().document, doc("We sell data."));
        assert_eq!(db.steps(w.id).unwrap().len(), 1);
        // Removing the watch removes its state, not the store's files.
        assert!(db.remove_watch("a").unwrap());
        assert!(db.pending().unwrap().is_empty());
    }

    #[test]
    fn a_first_release_database_is_migrated_to_the_current_schema() {
        let dir = tempfile::tempdir().unwrap();
        {
            let conn = Connection::open(dir.path().join(FILE_NAME)).unwrap();
            conn.pragma_update(None, "application_id", APPLICATION_ID as i32).unwrap();
            conn.execute_batch(MIGRATIONS[0]).unwrap();
            conn.pragma_update(None, "user_version", 1).unwrap();
        }
        let mut db = Db::open(dir.path()).unwrap();
        let version: u32 = db.conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(version, SCHEMA_VERSION);
        let w = db.add_watch(&watch("a", "https://a.example/privacy")).unwrap();
        assert!(db.capture_failures(w.id).unwrap().is_empty());
        assert!(db.pending().unwrap().is_empty());
    }

    #[test]
    fn a_failed_transaction_records_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = Db::open(dir.path()).unwrap();
        let w = db.add_watch(&watch("a", "https://a.example/privacy")).unwrap();
        // Two versions with the same index: the second insert fails, the first is rolled back.
        let bad = CheckRecord {
            last_capture: Some("20240301000000".into()),
            versions: vec![version(0, "20240101000000", "One."), version(0, "20240301000000", "Two.")],
            checked_at: now_rfc3339(),
            ..Default::default()
        };
        assert!(db.record_check(w.id, &bad).is_err());
        assert!(db.versions(w.id).unwrap().is_empty());
        assert_eq!(db.watch("a").unwrap().unwrap().last_capture, None);
    }

    #[test]
    fn watches_never_checked_come_first_then_the_least_recently_checked() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = Db::open(dir.path()).unwrap();
        let a = db.add_watch(&watch("a", "https://a.example/")).unwrap();
        let b = db.add_watch(&watch("b", "https://b.example/")).unwrap();
        db.add_watch(&watch("c", "https://c.example/")).unwrap();
        let at = |t: &str| CheckRecord { checked_at: t.into(), ..Default::default() };
        db.record_check(a.id, &at("2024-01-02T00:00:00Z")).unwrap();
        db.record_check(b.id, &at("2024-01-01T00:00:00Z")).unwrap();
        let order: Vec<String> = db.watches_by_last_check().unwrap().into_iter().map(|w| w.name).collect();
        assert_eq!(order, ["c", "b", "a"]);
    }

    #[test]
    fn a_foreign_or_damaged_file_is_refused_and_left_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        // Not SQLite at all.
        fs::write(&path, b"hello, I am a text file that happens to have this name\n").unwrap();
        let before = fs::read(&path).unwrap();
        let e = Db::open(dir.path()).unwrap_err().to_string();
        assert!(e.contains("not a policydiff state database"), "{e}");
        assert_eq!(fs::read(&path).unwrap(), before);
        // Another program's SQLite database.
        fs::remove_file(&path).unwrap();
        let other = Connection::open(&path).unwrap();
        other.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);").unwrap();
        drop(other);
        let before = fs::read(&path).unwrap();
        let e = Db::open(dir.path()).unwrap_err().to_string();
        assert!(e.contains("another program's SQLite database"), "{e}");
        assert_eq!(fs::read(&path).unwrap(), before);
        // Ours, from a newer release.
        fs::remove_file(&path).unwrap();
        drop(Db::open(dir.path()).unwrap());
        let newer = Connection::open(&path).unwrap();
        newer.pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
        drop(newer);
        let before = fs::read(&path).unwrap();
        let e = Db::open(dir.path()).unwrap_err().to_string();
        assert!(e.contains("newer policydiff"), "{e}");
        assert_eq!(fs::read(&path).unwrap(), before);
        // Ours, with its pages overwritten.
        fs::remove_file(&path).unwrap();
        let mut db = Db::open(dir.path()).unwrap();
        for i in 0..50 {
            db.add_watch(&watch(&format!("w{i}"), &format!("https://{i}.example/"))).unwrap();
        }
        drop(db);
        let mut bytes = fs::read(&path).unwrap();
        let len = bytes.len();
        for b in &mut bytes[4096..len.min(4096 * 3)] {
            *b = 0xA5;
        }
        fs::write(&path, &bytes).unwrap();
        let e = Db::open(dir.path()).unwrap_err().to_string();
        assert!(e.contains("damaged"), "{e}");
        assert_eq!(fs::read(&path).unwrap(), bytes);
    }
}
