//! One check of one watch: an incremental changelog.
//!
//! The CDX listing from the last capture seen onwards; the new distinct captures
//! fetched into the store (the store's shared rate limit applies) and read; with
//! `--live`, the page itself fetched once; all of it pushed onto the watch's recorded
//! history ([`crate::history::History::resume`]) so that versions and steps are
//! computed against the last recorded version exactly as the changelog computes them.
//! What was found is recorded in one transaction with one pending notification per
//! step and target; delivering them is [`super::notify`]'s work.
//!
//! A capture the archive will not serve does not block a watch. When the archive
//! answered for it (a 4xx, an answer over the size limit, a redirect loop) it is
//! unusable at once, like an error page, and the check goes on past it. When no usable
//! answer came (connection failures, timeouts, 5xx after the client's retries) the
//! check records what came before it and stops there, to try it again next time; after
//! [`GIVE_UP_CHECKS`] checks in a row it too is unusable and passed.
//!
//! The first check of a watch records the newest version as its baseline and
//! announces nothing. Captures no newer than what the watch has recorded (the
//! archive's copies of a text already seen live) are not looked at again, so a change
//! seen live is announced once.

use std::cell::Cell;
use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::hook;
use super::live::{Live, LiveAnswer};
use super::notify;
use super::state::{CheckRecord, Db, NewStep, Origin, Target, Version as Recorded, Watch};
use crate::acquire::Acquirer;
use crate::archive::{Capture, Query};
use crate::date::DateSpec;
use crate::document::Document;
use crate::error::{Error, Result};
use crate::history::{CaptureRef, History, Unusable, Version};
use crate::normalize;

/// How many of the newest captures a first check tries before giving up on finding
/// one that shows the policy (error pages and captchas are skipped).
const BASELINE_TRIES: usize = 5;

/// Checks in a row that may find no usable answer for a capture before the check goes
/// on without it (`POLICYDIFF_GIVE_UP_CHECKS`).
pub const GIVE_UP_CHECKS: i64 = 3;

/// A listed capture read, or the reason to stop before it.
enum Read {
    /// Its Document, or why it is not a version (no policy; could not be fetched).
    Content(std::result::Result<Document, Unusable>),
    /// No usable answer from the archive, not yet given up: the check stops before it.
    Hold { message: String, failed: i64 },
}

/// What a check found for one watch.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Nothing new (or new captures of the same version).
    Unchanged,
    /// The first check: the newest version recorded as the baseline.
    Baseline { seen: String },
    /// New versions recorded, one step each.
    Changed { steps: Vec<StepReport> },
}

/// A step as the check reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct StepReport {
    /// The step as the changelog's JSON gives it.
    pub json: Value,
    /// "3 reworded, 1 added".
    pub summary: String,
    /// The one-line text of the notification.
    pub text: String,
    /// Where the new version can be seen (its capture, or the live page).
    pub link: Option<String>,
}

/// The result of checking one watch.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    pub outcome: Outcome,
    /// New captures in the listing (distinct, status 200).
    pub new_captures: usize,
    /// Captures read that show no policy or could not be fetched, with the reason.
    pub unusable: Vec<String>,
    /// Of those, the captures the archive would not serve (passed for good).
    pub unfetched: Vec<String>,
    /// A part of the check that failed after the rest was recorded (the live page).
    pub warning: Option<String>,
    /// Time spent on the archive and the live page: requests, and waits for the rate
    /// limits (the rest of a check's time is its own work: state, parsing, diffing).
    pub network_time: Duration,
}

/// Checks watches against the archive (and their live pages) and records what it finds.
pub struct Checker {
    acquirer: Acquirer,
    live: Live,
    targets: Vec<Target>,
    network_time: Cell<Duration>,
    give_up: i64,
    /// The watch being checked: its held captures and their failed checks.
    failures: HashMap<String, i64>,
}

impl Checker {
    /// `acquirer` must be online; `targets` get one notification per new step.
    pub fn new(acquirer: Acquirer, targets: Vec<Target>) -> Result<Checker> {
        if acquirer.is_offline() {
            return Err(Error::Usage(
                "check needs the network (the archive's listings), and --offline (POLICYDIFF_OFFLINE) is set"
                    .into(),
            ));
        }
        let limits = acquirer.client().map(|c| c.etiquette().limits.clone()).unwrap_or_default();
        let give_up = std::env::var("POLICYDIFF_GIVE_UP_CHECKS")
            .ok()
            .and_then(|v| v.trim().parse::<i64>().ok())
            .filter(|n| *n > 0)
            .unwrap_or(GIVE_UP_CHECKS);
        Ok(Checker {
            acquirer,
            live: Live::new(limits)?,
            targets,
            network_time: Cell::default(),
            give_up,
            failures: HashMap::new(),
        })
    }

    /// Checks one watch and records the result in one transaction. On an error nothing
    /// is recorded, so the next check tries the same captures again; a capture held
    /// (see the module doc) records what came before it and its failure.
    pub async fn check(&mut self, db: &mut Db, watch: &Watch) -> Result<Checked> {
        let options = normalize::Options {
            select: watch.select.clone(),
            remove: watch.remove.clone(),
            content_type: None,
        };
        let acquirer = self.acquirer.clone().with_options(options);
        let client = acquirer.client().ok_or_else(|| Error::Usage("check needs the network".into()))?;
        let from = match &watch.last_capture {
            Some(ts) => Some(ts.parse::<DateSpec>().map_err(|e| Error::store(db.path(), e.to_string()))?),
            None => None,
        };
        self.network_time.set(Duration::ZERO);
        let listed = self.timed(client.list(&watch.url, &Query { from, to: None, all: false })).await?;
        let newest_listed = listed.iter().map(|c| c.timestamp.clone()).max();
        let last_seen = db.last_seen(watch.id)?;
        let floor = match (&watch.last_capture, &last_seen) {
            (Some(a), Some(b)) => Some(a.max(b).clone()),
            (a, b) => a.clone().or(b.clone()),
        };
        let new: Vec<Capture> = listed
            .iter()
            .filter(|c| c.status == Some(200))
            .filter(|c| floor.as_ref().is_none_or(|f| c.timestamp.as_str() > f.as_str()))
            .cloned()
            .collect();
        if !new.is_empty() {
            // Cached for `changelog --offline` (merged with what is cached); not rewritten
            // when nothing is new, so an idle check writes nothing but its state.
            if let Err(e) = acquirer.store().save_listing(&watch.url, &listed, false) {
                tracing::warn!("{}: could not cache the listing: {e}", watch.name);
            }
        }
        let mut record = CheckRecord {
            last_capture: newest_listed.filter(|n| watch.last_capture.as_ref().is_none_or(|l| n > l)),
            checked_at: super::state::now_rfc3339(),
            ..CheckRecord::default()
        };
        let mut checked = Checked {
            outcome: Outcome::Unchanged,
            new_captures: new.len(),
            unusable: Vec::new(),
            unfetched: Vec::new(),
            warning: None,
            network_time: Duration::ZERO,
        };
        self.failures = if new.is_empty() { HashMap::new() } else { db.capture_failures(watch.id)? };
        if last_seen.is_none() {
            self.baseline(&acquirer, watch, &new, &mut record, &mut checked).await?;
        } else if !new.is_empty() || watch.live {
            let recorded = db.versions(watch.id)?;
            self.extend(&acquirer, watch, recorded, &new, &mut record, &mut checked).await?;
        }
        if let Some((held, _)) = &record.held {
            // Progress up to the held capture only: the next listing starts before it.
            // (A first check holds with nothing recorded: it starts over next time.)
            record.last_capture = last_seen
                .is_some()
                .then(|| listed.iter().map(|c| &c.timestamp).filter(|t| *t < held).max().cloned())
                .flatten()
                .filter(|n| watch.last_capture.as_ref().is_none_or(|l| n > l));
        }
        checked.network_time = self.network_time.get();
        hook::point("before-record");
        db.record_check(watch.id, &record)?;
        hook::point("after-record");
        Ok(checked)
    }

    /// The first check: the newest capture that shows the policy (and the live page).
    async fn baseline(
        &mut self,
        acquirer: &Acquirer,
        watch: &Watch,
        new: &[Capture],
        record: &mut CheckRecord,
        checked: &mut Checked,
    ) -> Result<()> {
        let mut history = History::new();
        let mut live_labels = Vec::new();
        for capture in new.iter().rev().take(BASELINE_TRIES) {
            match self.read_capture(acquirer, watch, capture).await? {
                Read::Content(content) => history.push(capture_ref(acquirer, &watch.url, capture), content),
                Read::Hold { message, failed } => {
                    // No baseline from an older capture while the newest may still come.
                    self.hold(capture, message, failed, record, checked);
                    report_unusable(&history, checked);
                    return Ok(());
                }
            };
            if history.current().is_some() {
                break;
            }
        }
        if watch.live {
            self.push_live(acquirer, watch, &mut history, &mut live_labels, record, checked).await;
        }
        report_unusable(&history, checked);
        let Some(current) = history.current() else {
            if let Some(warning) = checked.warning.take() {
                return Err(Error::input(&watch.url, warning));
            }
            let why = if new.is_empty() {
                "the Wayback Machine lists no capture of this URL (status 200 HTML) yet".to_string()
            } else {
                format!(
                    "none of the {} newest captures shows a policy ({})",
                    new.len().min(BASELINE_TRIES),
                    checked.unusable.join("; ")
                )
            };
            return Err(Error::input(&watch.url, why));
        };
        let mut baseline = recorded_version(current, &live_labels);
        baseline.index = 0;
        baseline.same_as = None;
        checked.outcome = Outcome::Baseline { seen: current.last_seen.clone() };
        record.versions.push(baseline);
        Ok(())
    }

    /// Later checks: the new captures, oldest first, then the live page, against the
    /// recorded history.
    async fn extend(
        &mut self,
        acquirer: &Acquirer,
        watch: &Watch,
        recorded: Vec<Recorded>,
        new: &[Capture],
        record: &mut CheckRecord,
        checked: &mut Checked,
    ) -> Result<()> {
        let earlier = recorded.len();
        let current_captures = recorded.last().map_or(0, |v| v.captures);
        let mut history = History::resume(recorded.into_iter().map(history_version).collect());
        let mut live_labels = Vec::new();
        for capture in new {
            match self.read_capture(acquirer, watch, capture).await? {
                Read::Content(content) => history.push(capture_ref(acquirer, &watch.url, capture), content),
                Read::Hold { message, failed } => {
                    self.hold(capture, message, failed, record, checked);
                    break;
                }
            };
        }
        // The live page is newer than a held capture: it waits for it.
        if watch.live && record.held.is_none() {
            self.push_live(acquirer, watch, &mut history, &mut live_labels, record, checked).await;
        }
        report_unusable(&history, checked);
        if let Some(v) = history.versions.get(earlier.wrapping_sub(1)) {
            let more = v.captures as i64 - current_captures;
            if more > 0 {
                record.extend_last = Some((v.last.clone(), more));
            }
        }
        record.versions =
            history.versions[earlier..].iter().map(|v| recorded_version(v, &live_labels)).collect();
        let mut steps = Vec::new();
        for step in &history.steps {
            let json = serde_json::to_value(step).map_err(|e| Error::Usage(e.to_string()))?;
            let payload = notify::payload(&watch.name, &watch.url, &json);
            let text = payload["text"].as_str().unwrap_or_default().to_string();
            let notifications =
                self.targets.iter().map(|t| (t.clone(), payload.to_string())).collect::<Vec<_>>();
            record.steps.push(NewStep {
                from_version: step.from_version as i64,
                to_version: step.to_version as i64,
                window_before: step.before.timestamp.clone(),
                json: json.clone(),
                notifications,
            });
            steps.push(StepReport {
                summary: notify::summary_phrase(&json["summary"]),
                link: step.before.memento.clone(),
                json,
                text,
            });
        }
        if !steps.is_empty() {
            checked.outcome = Outcome::Changed { steps };
        }
        Ok(())
    }

    /// Awaits `work`, counting its time as network time.
    async fn timed<T>(&self, work: impl std::future::Future<Output = T>) -> T {
        let started = Instant::now();
        let out = work.await;
        self.network_time.set(self.network_time.get() + started.elapsed());
        out
    }

    /// A listed capture into the store and read. One that reads as no policy is
    /// unusable; so is one the archive will not serve: at once when the archive
    /// answered for it, after `give_up` checks in a row when no usable answer came
    /// (until then it is held). Other errors (the store) fail the check.
    async fn read_capture(&self, acquirer: &Acquirer, watch: &Watch, capture: &Capture) -> Result<Read> {
        let fetched = match self.timed(acquirer.fetch(&watch.url, capture)).await {
            Ok(fetched) => fetched,
            Err(e @ Error::Archive { .. }) => {
                let unreachable = e.is_unreachable();
                let Error::Archive { message, .. } = e else { unreachable!() };
                let failed = self.failures.get(&capture.timestamp).copied().unwrap_or(0) + 1;
                if unreachable && failed < self.give_up {
                    return Ok(Read::Hold { message, failed });
                }
                let message = if unreachable {
                    format!("{message} (in {failed} checks in a row; skipped)")
                } else {
                    message
                };
                return Ok(Read::Content(Err(Unusable::FetchFailed { message })));
            }
            Err(e) => return Err(e),
        };
        let source = format!("{}@{}", watch.url, capture.timestamp);
        Ok(Read::Content(match acquirer.load_stored(&source, &watch.url, &fetched.stored) {
            Ok(loaded) => Ok(loaded.document),
            Err(Error::Input { message, .. }) => Err(Unusable::NoPolicyText { message }),
            Err(e) => return Err(e),
        }))
    }

    /// Stops the check before `capture`, to be tried again: its failure is recorded,
    /// and the watch reports it as an error.
    fn hold(
        &self,
        capture: &Capture,
        message: String,
        failed: i64,
        record: &mut CheckRecord,
        checked: &mut Checked,
    ) {
        checked.warning = Some(format!(
            "capture {} could not be fetched: {message} — the check stopped before it and tries it again next time (failed checks in a row: {failed}; skipped after {})",
            capture.timestamp, self.give_up
        ));
        record.held = Some((capture.timestamp.clone(), message));
    }

    /// The live page, once: pushed onto the history when it came (not on a 304). A
    /// failure is a warning of the check, the archive's part is still recorded.
    async fn push_live(
        &mut self,
        acquirer: &Acquirer,
        watch: &Watch,
        history: &mut History,
        live_labels: &mut Vec<String>,
        record: &mut CheckRecord,
        checked: &mut Checked,
    ) {
        // After the newest capture pushed, always: the history only goes forward (two
        // checks within a second file their pages a second apart).
        let now = crate::archive::cdx::now_timestamp();
        let stamp = match history.versions.last().map(|v| v.last_seen.clone()) {
            Some(last) if last >= now => match crate::date::parse_timestamp(&last) {
                Some(t) => crate::date::format_timestamp(t + chrono::Duration::seconds(1)),
                None => now,
            },
            _ => now,
        };
        let started = Instant::now();
        let answer = self
            .live
            .get(&watch.url, watch.live_etag.as_deref(), watch.live_last_modified.as_deref(), &stamp)
            .await;
        self.network_time.set(self.network_time.get() + started.elapsed());
        let (fetched, etag, last_modified) = match answer {
            Ok(LiveAnswer::NotModified) => return,
            Ok(LiveAnswer::Page { fetched, etag, last_modified }) => (fetched, etag, last_modified),
            Err(e) => {
                checked.warning = Some(format!("live page: {e}"));
                return;
            }
        };
        let store = acquirer.store();
        let stored = store.lock(&watch.url, &stamp).and_then(|_lock| store.put(&fetched, &stamp, None));
        let stored = match stored {
            Ok(s) => s,
            Err(e) => {
                checked.warning = Some(format!("live page: {e}"));
                return;
            }
        };
        let content = match acquirer.load_stored(&format!("{} (live)", watch.url), &watch.url, &stored) {
            Ok(loaded) => Ok(loaded.document),
            Err(e) => Err(Unusable::NoPolicyText { message: e.to_string() }),
        };
        let capture = CaptureRef {
            label: stamp.clone(),
            timestamp: Some(stamp.clone()),
            digest: Some(stored.meta.sha1.clone()),
            memento: Some(watch.url.clone()),
        };
        history.push(capture, content);
        live_labels.push(stamp);
        record.live_validators = Some((etag, last_modified));
    }
}

/// The history's unusable captures into the report: all of them, and apart those
/// the archive would not serve.
fn report_unusable(history: &History, checked: &mut Checked) {
    for s in &history.unusable {
        let line = format!("{}: {}", s.capture.label, s.reason);
        if matches!(s.reason, Unusable::FetchFailed { .. }) {
            checked.unfetched.push(line.clone());
        }
        checked.unusable.push(line);
    }
}

fn capture_ref(acquirer: &Acquirer, url: &str, capture: &Capture) -> CaptureRef {
    let digest = Some(capture.digest.clone()).filter(|d| d != "-");
    CaptureRef::archived(acquirer.archive(), url, &capture.timestamp, digest)
}

/// A recorded version as the history module takes it.
fn history_version(v: Recorded) -> Version {
    let mut version = Version::recorded(v.index as usize, v.first, v.last, v.captures as usize, v.document);
    version.same_as = v.same_as.map(|i| i as usize);
    version
}

/// A version of the history as the state records it.
fn recorded_version(v: &Version, live_labels: &[String]) -> Recorded {
    Recorded {
        index: v.index as i64,
        first_seen: v.first_seen.clone(),
        last_seen: v.last_seen.clone(),
        captures: v.captures as i64,
        title: v.title.clone(),
        stated_date: v.stated_date.clone(),
        same_as: v.same_as.map(|i| i as i64),
        origin: if live_labels.contains(&v.first.label) { Origin::Live } else { Origin::Archive },
        first: v.first.clone(),
        last: v.last.clone(),
        document: (*v.document).clone(),
    }
}
