//! The history of one policy: consecutive captures grouped into **versions**, and the
//! **steps** between them, each with its window, its provenance and its clause changes.
//!
//! A new version starts only where [`crate::diff::diff`] reports a change, so captures
//! whose bytes differ but whose policy text does not (site chrome, a rotating promo, a
//! session token, a footer year, a server clock) never make one. Captures that show no
//! policy at all — an error page, a captcha, a stub a tenth the length of its
//! neighbours — are not versions: they are listed with the reason
//! ([`History::unusable`]) and the history goes on around them.
//!
//! This module takes Documents and where they came from ([`CaptureRef`]); it does no
//! HTTP and reads no files. [`History::from_captures`] builds a history from every
//! capture of a range, [`bisect`] from as few as it needs, fetched through a
//! "give me capture i" callback, and [`History::resume`] + [`History::push`] extend a
//! recorded history with new captures (what monitoring does on each check).
//!
//! ```
//! use policydiff::history::{CaptureRef, History};
//! use policydiff::normalize::normalize_markdown;
//! let page = |text: &str| Ok(normalize_markdown(&format!("# Privacy Policy\n\n## Sharing\n\n{text}\n")));
//! let history = History::from_captures(vec![
//!     (CaptureRef::local("v1.md"), page("We may share data with partners.")),
//!     (CaptureRef::local("v2.md"), page("We may share data with partners.")),
//!     (CaptureRef::local("v3.md"), page("We will share data with partners.")),
//! ]);
//! assert_eq!(history.versions.len(), 2);
//! assert_eq!(history.versions[0].captures, 2);
//! assert_eq!(history.steps[0].diff.summary.reworded, 1);
//! ```

mod bisect;
pub mod stated;
pub mod usable;

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use serde::ser::{Serialize, Serializer};

use crate::diff::{self, ChangeKind, DocumentDiff, SectionStatus};
use crate::document::Document;
pub use bisect::{bisect, Stretch};
use usable::Neighbour;
pub use usable::Unusable;

/// Where one capture, or one local version, comes from.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct CaptureRef {
    /// The capture's 14-digit timestamp, or for a local version the SOURCE as named.
    pub label: String,
    /// 14-digit timestamp (archived captures only).
    pub timestamp: Option<String>,
    /// The archive's digest of the capture (SHA-1, base32).
    pub digest: Option<String>,
    /// The memento in raw mode: `<wayback>/web/<timestamp>id_/<url>`.
    pub memento: Option<String>,
}

impl CaptureRef {
    /// A capture of `url` in the archive at `wayback` (e.g. `https://web.archive.org`).
    pub fn archived(wayback: &str, url: &str, timestamp: &str, digest: Option<String>) -> CaptureRef {
        CaptureRef {
            label: timestamp.to_string(),
            timestamp: Some(timestamp.to_string()),
            digest,
            memento: Some(format!("{}/web/{timestamp}id_/{url}", wayback.trim_end_matches('/'))),
        }
    }

    /// The Wayback Machine's own view of the capture: `<wayback>/web/<timestamp>/<url>`.
    pub fn view_url(&self) -> Option<String> {
        let ts = self.timestamp.as_deref()?;
        self.memento.as_ref().map(|m| m.replacen(&format!("/{ts}id_/"), &format!("/{ts}/"), 1))
    }

    /// A version the user has as a file (or names as `URL@DATE`).
    pub fn local(name: &str) -> CaptureRef {
        CaptureRef { label: name.to_string(), ..CaptureRef::default() }
    }
}

/// A run of consecutive captures between which the differ reports no change.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Version {
    pub index: usize,
    /// Timestamp (or SOURCE name) of the first and last capture showing this version.
    pub first_seen: String,
    pub last_seen: String,
    /// Captures showing this version (with `--bisect`, also those assumed to).
    pub captures: usize,
    pub title: Option<String>,
    /// The date the text states for itself ("Last updated …"), `YYYY-MM-DD` or `YYYY-MM`.
    pub stated_date: Option<String>,
    /// The earlier version whose text this one is again.
    pub same_as: Option<usize>,
    #[serde(skip)]
    pub first: CaptureRef,
    #[serde(skip)]
    pub last: CaptureRef,
    #[serde(skip)]
    pub document: Arc<Document>,
}

impl Version {
    /// A version as recorded earlier (monitoring keeps its document in the store).
    pub fn recorded(
        index: usize,
        first: CaptureRef,
        last: CaptureRef,
        captures: usize,
        document: Document,
    ) -> Self {
        Version {
            index,
            first_seen: first.label.clone(),
            last_seen: last.label.clone(),
            captures,
            title: document.title.clone(),
            stated_date: stated::stated_date(&document),
            same_as: None,
            first,
            last,
            document: Arc::new(document),
        }
    }
}

/// What a reader should know about a step beyond its changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    /// The text changed but the date it states for itself did not.
    StatedDateUnchanged,
    /// Only the stated date changed: no other word of the policy.
    StatedDateOnly,
}

/// The change from one version to the next.
#[derive(Debug, Clone)]
pub struct Step {
    pub from_version: usize,
    pub to_version: usize,
    /// The earlier version whose text comes back with this step.
    pub reverts_to: Option<usize>,
    /// The last capture showing the old version (`after` of the window).
    pub after: CaptureRef,
    /// The first capture showing the new version (`before` of the window).
    pub before: CaptureRef,
    pub flags: Vec<Flag>,
    pub diff: DocumentDiff,
}

/// The window in which a step happened (archived captures only).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Window {
    pub after: String,
    pub before: String,
}

impl Step {
    pub fn window(&self) -> Option<Window> {
        Some(Window { after: self.after.timestamp.clone()?, before: self.before.timestamp.clone()? })
    }
}

/// The step as the changelog's JSON gives it (`policydiff.changelog/1`, `steps[]`);
/// monitoring stores and sends the same form.
impl Serialize for Step {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(serde::Serialize)]
        struct Wire<'a> {
            from_version: usize,
            to_version: usize,
            reverts_to: Option<usize>,
            window: Option<Window>,
            old_capture: Option<&'a str>,
            new_capture: Option<&'a str>,
            old_digest: Option<&'a str>,
            new_digest: Option<&'a str>,
            flags: &'a [Flag],
            summary: &'a diff::Summary,
            sections: &'a [diff::SectionChange],
            changes: &'a [diff::Change],
        }
        Wire {
            from_version: self.from_version,
            to_version: self.to_version,
            reverts_to: self.reverts_to,
            window: self.window(),
            old_capture: self.after.memento.as_deref(),
            new_capture: self.before.memento.as_deref(),
            old_digest: self.after.digest.as_deref(),
            new_digest: self.before.digest.as_deref(),
            flags: &self.flags,
            summary: &self.diff.summary,
            sections: &self.diff.sections,
            changes: &self.diff.changes,
        }
        .serialize(serializer)
    }
}

/// A capture that is not a version, and why.
#[derive(Debug, Clone)]
pub struct Skipped {
    pub capture: CaptureRef,
    pub reason: Unusable,
}

impl Serialize for Skipped {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(serde::Serialize)]
        struct Wire<'a> {
            capture: &'a str,
            memento: Option<&'a str>,
            reason: &'a Unusable,
            text: String,
        }
        Wire {
            capture: &self.capture.label,
            memento: self.capture.memento.as_deref(),
            reason: &self.reason,
            text: self.reason.to_string(),
        }
        .serialize(serializer)
    }
}

/// Versions, steps and the captures left out.
#[derive(Debug, Clone, Default)]
pub struct History {
    pub versions: Vec<Version>,
    pub steps: Vec<Step>,
    /// Captures that show no policy, in order.
    pub unusable: Vec<Skipped>,
    /// With bisection: stretches whose two ends are the same version, assumed unchanged.
    pub assumed_unchanged: Vec<Stretch>,
    /// Captures fetched (or read) to build the history.
    pub fetched: usize,
    /// With bisection.
    pub bisected: bool,
    fingerprints: Vec<u64>,
}

impl History {
    pub fn new() -> History {
        History::default()
    }

    /// A history that goes on from versions recorded earlier (oldest first; the last is
    /// the current one). New versions are numbered after it; a new text equal to any
    /// of them is a revert. `steps` holds only the steps found from here on.
    pub fn resume(earlier: Vec<Version>) -> History {
        let fingerprints = earlier.iter().map(|v| fingerprint(&v.document)).collect();
        History { versions: earlier, fingerprints, ..History::default() }
    }

    /// The history of every capture of a range, in order (oldest first).
    pub fn from_captures(captures: Vec<(CaptureRef, Result<Document, Unusable>)>) -> History {
        let mut history = History::new();
        let checked: Vec<(CaptureRef, Result<Document, Unusable>)> = captures
            .into_iter()
            .map(|(c, content)| (c, content.and_then(|d| usable::check_alone(&d).map(|()| d))))
            .collect();
        // What a capture without policy vocabulary is measured against: the version
        // before it and the next capture that reads as a policy. Where none follows
        // but other captures do, the page has changed for good: it is a version.
        let mut after: Vec<Option<Neighbour>> = vec![None; checked.len()];
        let mut followed = vec![false; checked.len()];
        let (mut next, mut any) = (None, false);
        for (i, (_, content)) in checked.iter().enumerate().rev() {
            (after[i], followed[i]) = (next, any);
            if let Ok(doc) = content {
                any = true;
                let n = Neighbour::of(doc);
                if n.policy {
                    next = Some(n);
                }
            }
        }
        for (((capture, content), after), followed) in checked.into_iter().zip(after).zip(followed) {
            history.fetched += 1;
            let content = content.and_then(|doc| {
                if after.is_none() && followed {
                    return Ok(doc);
                }
                usable::check_against(&doc, history.current_neighbour(), after).map(|()| doc)
            });
            history.add(capture, content, 1);
        }
        history
    }

    /// Adds the next capture (newer than every one so far) and returns the step it
    /// makes, if it shows a new version.
    pub fn push(&mut self, capture: CaptureRef, content: Result<Document, Unusable>) -> Option<&Step> {
        self.fetched += 1;
        let content = content.and_then(|doc| {
            usable::check_alone(&doc)?;
            usable::check_against(&doc, self.current_neighbour(), None)?;
            Ok(doc)
        });
        let steps = self.steps.len();
        self.add(capture, content, 1);
        self.steps.get(steps)
    }

    /// The version the newest capture shows.
    pub fn current(&self) -> Option<&Version> {
        self.versions.last()
    }

    fn current_neighbour(&self) -> Option<Neighbour> {
        self.current().map(|v| Neighbour::of(&v.document))
    }

    /// Records a checked capture that stands for `covers` captures of the listing.
    fn add(&mut self, capture: CaptureRef, content: Result<Document, Unusable>, covers: usize) {
        let doc = match content {
            Ok(doc) => doc,
            Err(reason) => {
                self.unusable.push(Skipped { capture, reason });
                return;
            }
        };
        let print = fingerprint(&doc);
        let Some(current) = self.versions.last() else {
            self.open_version(0, capture, doc, print, covers, None);
            return;
        };
        let same = print == *self.fingerprints.last().unwrap_or(&0);
        let change = if same { None } else { Some(diff::diff(&current.document, &doc)) };
        match change {
            None => self.extend_current(capture, covers),
            Some(d) if d.is_empty() => self.extend_current(capture, covers),
            Some(d) => {
                let from = current.index;
                let after = current.last.clone();
                let old_date = current.stated_date.clone();
                let reverts_to = self.earlier_same(&doc, print);
                let new_date = stated::stated_date(&doc);
                let mut flags = Vec::new();
                match (&old_date, &new_date) {
                    (Some(a), Some(b)) if a == b => flags.push(Flag::StatedDateUnchanged),
                    (Some(_), Some(_)) if only_dates_changed(&d) => flags.push(Flag::StatedDateOnly),
                    _ => {}
                }
                self.steps.push(Step {
                    from_version: from,
                    to_version: from + 1,
                    reverts_to,
                    after,
                    before: capture.clone(),
                    flags,
                    diff: d,
                });
                self.open_version(from + 1, capture, doc, print, covers, reverts_to);
            }
        }
    }

    fn open_version(
        &mut self,
        index: usize,
        capture: CaptureRef,
        doc: Document,
        print: u64,
        covers: usize,
        same_as: Option<usize>,
    ) {
        let mut version = Version::recorded(index, capture.clone(), capture, covers, doc);
        version.same_as = same_as;
        self.versions.push(version);
        self.fingerprints.push(print);
    }

    fn extend_current(&mut self, capture: CaptureRef, covers: usize) {
        if let Some(v) = self.versions.last_mut() {
            v.last_seen = capture.label.clone();
            v.last = capture;
            v.captures += covers;
        }
    }

    /// The most recent version before the current one whose text this is again.
    fn earlier_same(&self, doc: &Document, print: u64) -> Option<usize> {
        let earlier = self.versions.len().checked_sub(1)?;
        let candidates = || self.versions[..earlier].iter().zip(&self.fingerprints).rev();
        candidates()
            .find(|(_, p)| **p == print)
            .or_else(|| candidates().find(|(v, _)| diff::diff(&v.document, doc).is_empty()))
            // Point at the first occurrence of that text, so A→B→A→B reads as reverts to 0 and 1.
            .map(|(v, _)| v.same_as.unwrap_or(v.index))
    }
}

/// A hash of what the differ compares: equal fingerprints mean no reported change.
fn fingerprint(doc: &Document) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    for (i, section) in doc.sections.iter().enumerate() {
        (i, section.level, section.heading.as_deref().map(diff::segment::key)).hash(&mut h);
    }
    for clause in diff::segment::clauses(doc) {
        (clause.section, clause.key).hash(&mut h);
    }
    h.finish()
}

/// True when every change rewords dates only (digits, month names, ordinals).
fn only_dates_changed(d: &DocumentDiff) -> bool {
    let date_token = |t: &str| {
        let t = t.to_ascii_lowercase();
        t.chars().all(|c| c.is_ascii_digit())
            || ["st", "nd", "rd", "th", "of"].contains(&t.as_str())
            || (t.len() >= 3 && stated::MONTHS.iter().any(|m| m.starts_with(t.as_str())))
    };
    let date_only =
        |s: &str| s.split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty()).all(date_token);
    !d.changes.is_empty()
        && d.sections.iter().all(|s| matches!(s.status, SectionStatus::Unchanged | SectionStatus::Changed))
        && d.changes.iter().all(|c| {
            c.kind == ChangeKind::Reworded
                && c.words.as_ref().is_some_and(|ops| {
                    ops.iter().filter(|op| op.op != diff::WordOpKind::Equal).all(|op| date_only(&op.text))
                })
        })
}

#[cfg(test)]
mod tests;
