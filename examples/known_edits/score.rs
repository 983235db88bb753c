//! The scorer: a differ's `policydiff.diff/1` JSON against the expected changes of a
//! pair, per kind of change.
//!
//! A reported change is a true positive only when its kind is the expected one and its
//! clause texts equal the edited clause (after collapsing white space and unifying
//! quotes and dashes): `added` by `new`, `removed` by `old`, `reworded` by both, `moved`
//! by either, `renamed` by a `sections[]` entry's `old_heading`/`new_heading`. Every
//! other reported change is a false positive of its kind.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::gen::{Expected, Pair, COSMETIC_KINDS, KINDS};

/// Text as the scorer compares it: white space (no-break spaces too) collapsed, quotes
/// and dashes unified, trimmed.
pub fn norm(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in
        s.split(|c: char| c.is_whitespace() || c == '\u{a0}' || c == '\u{202f}').filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars() {
            out.push(match c {
                '‘' | '’' | '‚' | '‛' | '′' | '`' => '\'',
                '“' | '”' | '„' | '‟' | '″' => '"',
                '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' => '-',
                c => c,
            });
        }
    }
    out
}

/// One change as a differ reported it.
#[derive(Debug, Clone, PartialEq)]
pub struct Reported {
    pub kind: String,
    pub old: Option<String>,
    pub new: Option<String>,
    /// For `reworded`: whether its `words` rebuild `old` (equal + delete) and `new`
    /// (equal + insert); `false` when it has none.
    pub words_rebuild: Option<bool>,
    pub old_section: Option<String>,
    pub new_section: Option<String>,
}

impl std::fmt::Display for Reported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.kind)?;
        if let Some(old) = &self.old {
            write!(f, " old={old:?}")?;
        }
        if let Some(new) = &self.new {
            write!(f, " new={new:?}")?;
        }
        Ok(())
    }
}

/// The changes of a report: `changes[]`, then `sections[]` entries that are not
/// `unchanged`/`changed`/`moved` (`renamed`, `section split`/`section merged`, and
/// `section added`/`section removed`,
/// which a known-edit pair never expects).
pub fn reported(report: &Value) -> Vec<Reported> {
    let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_string);
    let mut out = Vec::new();
    for c in report.get("changes").and_then(Value::as_array).into_iter().flatten() {
        let kind = text(c, "kind").unwrap_or_else(|| "?".into());
        let words_rebuild = (kind == "reworded").then(|| words_rebuild(c));
        out.push(Reported {
            kind,
            old: text(c, "old"),
            new: text(c, "new"),
            words_rebuild,
            old_section: text(c, "old_section"),
            new_section: text(c, "new_section"),
        });
    }
    for s in report.get("sections").and_then(Value::as_array).into_iter().flatten() {
        let status = text(s, "status").unwrap_or_default();
        let kind = match status.as_str() {
            "renamed" => "renamed",
            "added" => "section added",
            "removed" => "section removed",
            "split" => "section split",
            "merged" => "section merged",
            _ => continue,
        };
        out.push(Reported {
            kind: kind.into(),
            old: text(s, "old_heading"),
            new: text(s, "new_heading"),
            words_rebuild: None,
            old_section: None,
            new_section: None,
        });
    }
    out
}

/// Whether a change's word-level diff gives back its old and new clause.
fn words_rebuild(change: &Value) -> bool {
    let Some(ops) = change.get("words").and_then(Value::as_array) else { return false };
    let (mut old, mut new) = (String::new(), String::new());
    for op in ops {
        let text = op.get("text").and_then(Value::as_str).unwrap_or("");
        match op.get("op").and_then(Value::as_str) {
            Some("equal") => {
                old.push_str(text);
                new.push_str(text);
            }
            Some("delete") => old.push_str(text),
            Some("insert") => new.push_str(text),
            _ => return false,
        }
    }
    let field = |k: &str| change.get(k).and_then(Value::as_str).map(norm);
    field("old") == Some(norm(&old)) && field("new") == Some(norm(&new))
}

/// Whether a reported change names the sections its expected change is in: the old
/// one for `removed`, the new one for `added`, both otherwise.
fn sections_right(e: &Expected, r: &Reported) -> bool {
    let same = |a: &Option<String>, b: &Option<String>| a.as_deref().map(norm) == b.as_deref().map(norm);
    match e.kind {
        "removed" => same(&e.old_section, &r.old_section),
        "added" => same(&e.new_section, &r.new_section),
        _ => same(&e.old_section, &r.old_section) && same(&e.new_section, &r.new_section),
    }
}

fn matches(e: &Expected, r: &Reported) -> bool {
    if e.kind != r.kind {
        return false;
    }
    let same = |want: &Option<String>, got: &Option<String>| match (want, got) {
        (Some(w), Some(g)) => norm(w) == norm(g),
        _ => false,
    };
    match e.kind {
        "added" => same(&e.new, &r.new),
        "removed" => same(&e.old, &r.old),
        // A clause moved as it was is found by either text; one also reworded by both.
        "moved" if e.old == e.new => same(&e.old, &r.old) || same(&e.new, &r.new),
        _ => same(&e.old, &r.old) && same(&e.new, &r.new),
    }
}

/// Counts of one kind: expected changes, reported changes (a reported change counts
/// under the kind of edit it was matched to, else under its own kind) and true positives.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Tally {
    pub expected: usize,
    pub reported: usize,
    pub tp: usize,
}

impl Tally {
    /// Precision; 1 when nothing was reported.
    pub fn precision(&self) -> f64 {
        if self.reported == 0 {
            1.0
        } else {
            self.tp as f64 / self.reported as f64
        }
    }

    /// Recall; 1 when nothing was expected.
    pub fn recall(&self) -> f64 {
        if self.expected == 0 {
            1.0
        } else {
            self.tp as f64 / self.expected as f64
        }
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// A differ's score over a set of pairs.
#[derive(Debug, Clone, Default)]
pub struct Score {
    /// Per kind of [`KINDS`], plus any other kind the differ reported.
    pub kinds: BTreeMap<String, Tally>,
    pub cosmetic_pairs: usize,
    pub cosmetic_unchanged: usize,
    /// Per kind of cosmetic-only pair ([`COSMETIC_KINDS`]): (pairs, reported unchanged).
    pub cosmetic_kinds: BTreeMap<String, (usize, usize)>,
    /// Changes reported in cosmetic-only pairs (not in `kinds`, which score edit pairs).
    pub cosmetic_spurious: usize,
    /// Reported `reworded` changes, and those whose word diff rebuilds old and new.
    pub reworded_reported: usize,
    pub words_rebuild: usize,
    /// True positives (`renamed` aside), and those naming the expected sections.
    pub located: usize,
    pub located_right: usize,
    /// One line per missed or spurious change, for `--verbose` and the findings file.
    pub misses: Vec<Miss>,
}

/// A misclassification: an expected change not found, or a reported change not expected.
#[derive(Debug, Clone)]
pub struct Miss {
    pub pair: usize,
    pub base: String,
    pub expected: Option<Expected>,
    /// For a missed change: what the differ reported about the same text instead;
    /// for a spurious one: the change itself.
    pub reported: Vec<Reported>,
}

impl Score {
    pub fn new() -> Self {
        let mut kinds = BTreeMap::new();
        for k in KINDS {
            kinds.insert(k.to_string(), Tally::default());
        }
        Score { kinds, ..Score::default() }
    }

    /// Scores one pair given the differ's JSON report of it.
    pub fn add(&mut self, pair: &Pair, report: &Value) {
        let reported = reported(report);
        for r in &reported {
            if let Some(ok) = r.words_rebuild {
                self.reworded_reported += 1;
                self.words_rebuild += usize::from(ok);
            }
        }
        if pair.cosmetic {
            self.cosmetic_pairs += 1;
            let zero_summary = report
                .get("summary")
                .and_then(Value::as_object)
                .is_none_or(|m| m.values().all(|v| v.as_u64() == Some(0)));
            let clean = reported.is_empty() && zero_summary;
            self.cosmetic_unchanged += usize::from(clean);
            let per_kind = self.cosmetic_kinds.entry(pair.cosmetic_kind.to_string()).or_default();
            per_kind.0 += 1;
            per_kind.1 += usize::from(clean);
            self.cosmetic_spurious += reported.len();
            for r in reported {
                self.misses.push(Miss {
                    pair: pair.id,
                    base: pair.base.clone(),
                    expected: None,
                    reported: vec![r],
                });
            }
            return;
        }
        // The kind of edit each reported change was matched to.
        let mut used: Vec<Option<&str>> = vec![None; reported.len()];
        for e in &pair.expected {
            let tally = self.kinds.entry(e.label.to_string()).or_default();
            tally.expected += 1;
            let hit = reported.iter().enumerate().position(|(i, r)| used[i].is_none() && matches(e, r));
            match hit {
                Some(i) => {
                    used[i] = Some(e.label);
                    tally.tp += 1;
                    if !crate::gen::is_section_entry(e.kind) {
                        self.located += 1;
                        self.located_right += usize::from(sections_right(e, &reported[i]));
                    }
                }
                None => {
                    let texts: Vec<String> =
                        [&e.old, &e.new].into_iter().flatten().map(|t| norm(t)).collect();
                    let related = reported
                        .iter()
                        .filter(|r| {
                            [&r.old, &r.new].into_iter().flatten().any(|t| {
                                let t = norm(t);
                                texts.iter().any(|x| t.contains(x.as_str()) || x.contains(t.as_str()))
                            })
                        })
                        .cloned()
                        .collect();
                    self.misses.push(Miss {
                        pair: pair.id,
                        base: pair.base.clone(),
                        expected: Some(e.clone()),
                        reported: related,
                    });
                }
            }
        }
        for (i, r) in reported.iter().enumerate() {
            self.kinds.entry(used[i].unwrap_or(&r.kind).to_string()).or_default().reported += 1;
            if used[i].is_none() {
                self.misses.push(Miss {
                    pair: pair.id,
                    base: pair.base.clone(),
                    expected: None,
                    reported: vec![r.clone()],
                });
            }
        }
    }

    /// All kinds together (micro average).
    pub fn total(&self) -> Tally {
        self.kinds.values().fold(Tally::default(), |a, t| Tally {
            expected: a.expected + t.expected,
            reported: a.reported + t.reported,
            tp: a.tp + t.tp,
        })
    }

    /// Share of cosmetic pairs reported as unchanged; 1 when there were none.
    pub fn cosmetic_share(&self) -> f64 {
        if self.cosmetic_pairs == 0 {
            1.0
        } else {
            self.cosmetic_unchanged as f64 / self.cosmetic_pairs as f64
        }
    }

    /// The table the example prints.
    pub fn table(&self, name: &str) -> String {
        let mut out = format!(
            "{name}\n  {:<16} {:>8} {:>8} {:>6} {:>9} {:>7} {:>6}\n",
            "kind", "expected", "reported", "TP", "precision", "recall", "F1"
        );
        let row = |k: &str, t: &Tally| {
            format!(
                "  {:<16} {:>8} {:>8} {:>6} {:>9.3} {:>7.3} {:>6.3}\n",
                k,
                t.expected,
                t.reported,
                t.tp,
                t.precision(),
                t.recall(),
                t.f1()
            )
        };
        for k in KINDS {
            out.push_str(&row(k, &self.kinds.get(k).copied().unwrap_or_default()));
        }
        for (k, t) in &self.kinds {
            if !KINDS.contains(&k.as_str()) {
                out.push_str(&row(k, t));
            }
        }
        out.push_str(&row("all", &self.total()));
        // The same with the changes reported in cosmetic-only pairs as false positives.
        let mut with_cosmetic = self.total();
        with_cosmetic.reported += self.cosmetic_spurious;
        out.push_str(&row("all + cosmetic", &with_cosmetic));
        out.push_str(&format!(
            "  cosmetic-only pairs reported unchanged: {}/{} ({:.1} %), changes reported in them: {}\n",
            self.cosmetic_unchanged,
            self.cosmetic_pairs,
            100.0 * self.cosmetic_share(),
            self.cosmetic_spurious
        ));
        for k in COSMETIC_KINDS {
            if let Some((n, clean)) = self.cosmetic_kinds.get(k) {
                out.push_str(&format!("    {k}: {clean}/{n} unchanged\n"));
            }
        }
        out.push_str(&format!(
            "  reworded changes whose word diff rebuilds old and new: {}/{}\n",
            self.words_rebuild, self.reworded_reported
        ));
        out.push_str(&format!(
            "  true positives naming the right old/new section: {}/{}\n",
            self.located_right, self.located
        ));
        out
    }
}
