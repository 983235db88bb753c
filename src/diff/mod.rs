//! The section-aware differ: align sections, then clauses, and report each clause as
//! added, removed, reworded (with a word-level diff) or moved.
//!
//! The stages are [`segment`] (clauses and their comparison keys), [`sections`]
//! (which section is which), [`clauses`] (which clause is which) and [`words`] (the
//! word diff of a reworded clause). Cosmetic differences — white space, wrapping,
//! quote and dash styles, no-break spaces, emphasis — vanish in the keys, so they
//! are never reported. What this module does not do: read files or render output
//! (see [`crate::report`]).
//!
//! ```
//! use policydiff::diff::{diff, ChangeKind};
//! use policydiff::normalize::normalize_markdown;
//! let old = normalize_markdown("## Cookies\n\nWe may share data with partners.\n");
//! let new = normalize_markdown("## Cookies\n\nWe will share data with partners.\n");
//! let d = diff(&old, &new);
//! assert_eq!(d.changes.len(), 1);
//! assert_eq!(d.changes[0].kind, ChangeKind::Reworded);
//! assert!(diff(&old, &old).is_empty());
//! ```

pub mod clauses;
pub mod sections;
pub mod segment;
mod split;
pub mod words;

use std::hash::{Hash, Hasher};

use serde::Serialize;

use crate::document::Document;
use clauses::Link;
pub use segment::Clause;
pub use words::{WordOp, WordOpKind};

/// What changed from one version to the other.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentDiff {
    pub summary: Summary,
    /// Every section of either version, in reading order of the new version
    /// (removed ones at their old place).
    pub sections: Vec<SectionChange>,
    /// One entry per changed clause, in reading order of the new version
    /// (removed clauses at their old place within their section's counterpart),
    /// the changes of one section pair contiguous.
    pub changes: Vec<Change>,
}

/// Counts of changes by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub added: usize,
    pub removed: usize,
    pub reworded: usize,
    pub moved: usize,
    pub sections_added: usize,
    pub sections_removed: usize,
    pub sections_renamed: usize,
    pub sections_split: usize,
    pub sections_merged: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionStatus {
    Unchanged,
    Changed,
    Added,
    Removed,
    Renamed,
    Moved,
    /// A new section cut out of an old one: a heading was inserted above text that
    /// stayed in place. `old_*` name the section the text was in, `new_*` this one.
    Split,
    /// An old section whose heading was deleted: its text stayed in place and now
    /// reads under the section before it. `old_*` name this one, `new_*` the
    /// section it is now part of. The mirror of [`SectionStatus::Split`].
    Merged,
}

/// One section and what became of it. For a split or merged section, the old and
/// new headings name the section the text was in and the one it is in now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionChange {
    pub status: SectionStatus,
    pub old_heading: Option<String>,
    pub new_heading: Option<String>,
    pub old_path: Option<Vec<String>>,
    pub new_path: Option<Vec<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Removed,
    Reworded,
    Moved,
}

/// One changed clause (for a split or merge: the clauses involved, joined).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub kind: ChangeKind,
    /// Heading of the section the clause was in (for an added clause: of the old
    /// section paired with its new one); `None` for the untitled preamble.
    /// For a removed clause `new_section` is the section paired with its old one
    /// (`None` when that section was removed too).
    pub old_section: Option<String>,
    pub new_section: Option<String>,
    pub old: Option<String>,
    pub new: Option<String>,
    /// Share of words kept (reworded and moved), two decimals.
    pub similarity: Option<f64>,
    /// Word-level diff (reworded, and moved when the words changed too).
    pub words: Option<Vec<WordOp>>,
}

impl DocumentDiff {
    /// The report of `changes` over `sections`, its summary counted from them.
    pub fn from_parts(sections: Vec<SectionChange>, changes: Vec<Change>) -> DocumentDiff {
        let mut summary = Summary::default();
        for c in &changes {
            match c.kind {
                ChangeKind::Added => summary.added += 1,
                ChangeKind::Removed => summary.removed += 1,
                ChangeKind::Reworded => summary.reworded += 1,
                ChangeKind::Moved => summary.moved += 1,
            }
        }
        for s in &sections {
            match s.status {
                SectionStatus::Added => summary.sections_added += 1,
                SectionStatus::Removed => summary.sections_removed += 1,
                SectionStatus::Renamed => summary.sections_renamed += 1,
                SectionStatus::Split => summary.sections_split += 1,
                SectionStatus::Merged => summary.sections_merged += 1,
                _ => {}
            }
        }
        DocumentDiff { summary, sections, changes }
    }

    /// True when nothing at all changed (no clause, no section heading or order).
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.sections.iter().all(|s| s.status == SectionStatus::Unchanged)
    }
}

fn hash_key(key: &str) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    key.hash(&mut h);
    h.finish()
}

/// Diffs two versions of a policy.
pub fn diff(old: &Document, new: &Document) -> DocumentDiff {
    let oc = segment::clauses(old);
    let nc = segment::clauses(new);
    let oh: Vec<u64> = oc.iter().map(|c| hash_key(&c.key)).collect();
    let nh: Vec<u64> = nc.iter().map(|c| hash_key(&c.key)).collect();
    let alignment = sections::align(old, new, &oc, &nc, &oh, &nh);
    let os: Vec<usize> = oc.iter().map(|c| c.section).collect();
    let ns: Vec<usize> = nc.iter().map(|c| c.section).collect();
    let mut input = clauses::Clauses {
        old_sections: &os,
        new_sections: &ns,
        old_hashes: &oh,
        new_hashes: &nh,
        old_keys: oc.iter().map(|c| c.key.as_str()).collect(),
        new_keys: nc.iter().map(|c| c.key.as_str()).collect(),
        old_bags: vec![Vec::new(); oc.len()],
        new_bags: vec![Vec::new(); nc.len()],
    };
    let links = clauses::match_clauses(&mut input, &alignment);
    build(old, new, &oc, &nc, &alignment, links)
}

/// Where a change goes in reading order: (new clause position, removed after, old position).
type Place = (usize, u8, usize);

fn build(
    old: &Document,
    new: &Document,
    oc: &[Clause],
    nc: &[Clause],
    alignment: &sections::Alignment,
    links: Vec<Link>,
) -> DocumentDiff {
    let heading = |doc: &Document, s: Option<usize>| s.and_then(|s| doc.sections[s].heading.clone());
    let join =
        |cs: &[Clause], idx: &[usize]| idx.iter().map(|&i| cs[i].text.as_str()).collect::<Vec<_>>().join(" ");
    let join_key =
        |cs: &[Clause], idx: &[usize]| idx.iter().map(|&i| cs[i].key.as_str()).collect::<Vec<_>>().join(" ");
    let mut changes: Vec<(Place, Change)> = Vec::new();
    let mut touched_old = vec![false; old.sections.len()];
    let mut touched_new = vec![false; new.sections.len()];
    let (mut ghost_old, mut ghost_new) = (vec![false; old.sections.len()], vec![false; new.sections.len()]);
    let links = drop_pseudo_headings(old, new, oc, nc, alignment, links, &mut ghost_old, &mut ghost_new);
    // The section whose text each section is part of: itself, or for a pseudo-heading
    // (an emphasised clause) the section before it.
    let reading = |ghost: &[bool]| {
        let mut home: Vec<usize> = (0..ghost.len()).collect();
        for s in 1..ghost.len() {
            if ghost[s] {
                home[s] = home[s - 1];
            }
        }
        home
    };
    let (old_home, new_home) = (reading(&ghost_old), reading(&ghost_new));
    let sides = split::Sides {
        ghost_old: &ghost_old,
        ghost_new: &ghost_new,
        old_home: &old_home,
        new_home: &new_home,
    };
    let split::Splits { links, alignment, in_place, split_from, merged_into } =
        split::find(oc, nc, alignment, links, &sides);
    let alignment = &alignment;
    let (old_region, new_region) = sections::regions(alignment);
    // The new section each old section's text reads in (its counterpart, or the section
    // it merged into), and the old one each new section's text was in.
    let reads_in: Vec<Option<usize>> =
        alignment.old_to_new.iter().zip(&merged_into).map(|(p, m)| p.or(*m)).collect();
    let came_from: Vec<Option<usize>> =
        alignment.new_to_old.iter().zip(&split_from).map(|(p, s)| p.or(*s)).collect();
    let removed_place = removed_places(oc, nc, alignment, &reads_in, &in_place, &links);
    // Whether a clause of old section `os` now in new section `ns` stayed in its
    // section (a pseudo-heading's section counts as the section it is part of).
    let same_section = |os: usize, ns: usize| {
        if ghost_old[os] || ghost_new[ns] {
            old_region[os] == new_region[ns]
        } else {
            alignment.old_to_new[os] == Some(ns)
        }
    };
    // A clause in reading order under another heading is not reported when that heading
    // was inserted above it (its new section split from its old one) or its own heading
    // was deleted (its old section merged into its new one).
    let quiet = |o: usize, os: usize, ns: usize| {
        in_place[o]
            && (same_section(os, ns)
                || split_from[ns] == Some(old_home[os])
                || merged_into[os] == Some(new_home[ns]))
    };
    for link in links {
        let change = match link {
            Link::Equal { old: o, new: n } => {
                let (os, ns) = (oc[o].section, nc[n].section);
                if quiet(o, os, ns) {
                    continue;
                }
                // In place, but across a heading that both versions have: the clause
                // now reads in another section.
                touched_old[os] = true;
                touched_new[ns] = true;
                let change = Change {
                    kind: ChangeKind::Moved,
                    old_section: heading(old, Some(os)),
                    new_section: heading(new, Some(ns)),
                    old: Some(oc[o].text.clone()),
                    new: Some(nc[n].text.clone()),
                    similarity: Some(1.0),
                    words: None,
                };
                ((n, 0, o), change)
            }
            Link::Reworded { old: o, new: n } => {
                if join_key(oc, &o) == join_key(nc, &n) {
                    continue; // only the sentence boundaries moved
                }
                let (old_text, new_text) = (join(oc, &o), join(nc, &n));
                let (ops, sim) = words::word_diff(&old_text, &new_text);
                touched_old[oc[o[0]].section] = true;
                touched_new[nc[n[0]].section] = true;
                let change = Change {
                    kind: ChangeKind::Reworded,
                    old_section: heading(old, Some(oc[o[0]].section)),
                    new_section: heading(new, Some(nc[n[0]].section)),
                    old: Some(old_text),
                    new: Some(new_text),
                    similarity: Some(round2(sim)),
                    words: Some(ops),
                };
                ((n[0], 0, o[0]), change)
            }
            Link::Moved { old: o, new: n } => {
                let (os, ns) = (oc[o].section, nc[n].section);
                let identical = oc[o].key == nc[n].key;
                if identical && (ghost_old[os] || ghost_new[ns]) && same_section(os, ns) {
                    continue; // under a heading that is only an emphasised clause
                }
                if identical && quiet(o, os, ns) {
                    continue;
                }
                touched_old[os] = true;
                touched_new[ns] = true;
                let (ops, sim) =
                    if identical { (Vec::new(), 1.0) } else { words::word_diff(&oc[o].text, &nc[n].text) };
                let kind =
                    if same_section(os, ns) && !identical { ChangeKind::Reworded } else { ChangeKind::Moved };
                let change = Change {
                    kind,
                    old_section: heading(old, Some(os)),
                    new_section: heading(new, Some(ns)),
                    old: Some(oc[o].text.clone()),
                    new: Some(nc[n].text.clone()),
                    similarity: Some(round2(sim)),
                    words: if identical { None } else { Some(ops) },
                };
                ((n, 0, o), change)
            }
            Link::Removed(o) => {
                let os = oc[o].section;
                touched_old[os] = true;
                let change = Change {
                    kind: ChangeKind::Removed,
                    old_section: heading(old, Some(os)),
                    new_section: heading(new, reads_in[old_home[os]]),
                    old: Some(oc[o].text.clone()),
                    new: None,
                    similarity: None,
                    words: None,
                };
                ((removed_place[o], 1, o), change)
            }
            Link::Added(n) => {
                let ns = nc[n].section;
                touched_new[ns] = true;
                let change = Change {
                    kind: ChangeKind::Added,
                    old_section: heading(old, came_from[new_home[ns]]),
                    new_section: heading(new, Some(ns)),
                    old: None,
                    new: Some(nc[n].text.clone()),
                    similarity: None,
                    words: None,
                };
                ((n, 0, 0), change)
            }
        };
        changes.push(change);
    }
    // Removed clauses sort before the new clause at their place.
    changes.sort_by_key(|((n, sub, o), _)| (*n, 1 - *sub, *o));
    let changes: Vec<Change> = changes.into_iter().map(|(_, c)| c).collect();

    let sections = section_changes(
        old,
        new,
        alignment,
        &Marks {
            touched_old: &touched_old,
            touched_new: &touched_new,
            split_from: &split_from,
            merged_into: &merged_into,
        },
        &ghost_old,
        &ghost_new,
    );
    DocumentDiff::from_parts(sections, changes)
}

/// Where each old clause would read in the new version if it were removed: a new
/// clause position (a removed clause sorts before the new clause there). Within the
/// section its own section reads in (`reads_in`: its counterpart, or the section it
/// merged into), after the last earlier clause of its section that stayed there (else
/// at that section's start, or for a merged section before its first clause that
/// stayed), so that the changes shown under one section are listed together; when its
/// section was removed, where that section stood (before the next section that kept
/// its place, as in the section list).
fn removed_places(
    oc: &[Clause],
    nc: &[Clause],
    alignment: &sections::Alignment,
    reads_in: &[Option<usize>],
    in_place: &[bool],
    links: &[Link],
) -> Vec<usize> {
    let start = |s: usize| nc.partition_point(|c| c.section < s);
    let end = |s: usize| nc.partition_point(|c| c.section <= s);
    let paired = |o: usize| reads_in[oc[o].section];
    // The new position of each old clause that stayed in the section its own reads in.
    let mut anchor: Vec<Option<usize>> = vec![None; oc.len()];
    for link in links {
        let (olds, n) = match link {
            Link::Equal { old, new } => (std::slice::from_ref(old), *new),
            Link::Moved { old, new } if in_place[*old] => (std::slice::from_ref(old), *new),
            Link::Reworded { old, new } => (old.as_slice(), new[0]),
            _ => continue,
        };
        for &o in olds {
            if paired(o) == Some(nc[n].section) {
                anchor[o] = Some(n);
            }
        }
    }
    // A merged section's text starts where its first clause that stayed now reads.
    let mut first_kept: Vec<Option<usize>> = vec![None; alignment.old_to_new.len()];
    for (o, a) in anchor.iter().enumerate() {
        let s = oc[o].section;
        if let (Some(n), None, None) = (a, alignment.old_to_new[s], first_kept[s]) {
            first_kept[s] = Some(*n);
        }
    }
    // A removed section stands before the next new section that kept its place.
    let moved = sections::moved(alignment);
    let mut stood = vec![nc.len(); alignment.old_to_new.len()];
    let mut next_old = 0;
    for (n, o) in alignment.new_to_old.iter().enumerate() {
        if let (Some(o), false) = (o, moved[n]) {
            stood[next_old..(*o).max(next_old)].fill(start(n));
            next_old = next_old.max(o + 1);
        }
    }
    let mut places = vec![0; oc.len()];
    let mut last: Option<usize> = None;
    for o in 0..oc.len() {
        if o == 0 || oc[o].section != oc[o - 1].section {
            last = None;
        }
        places[o] = match paired(o) {
            Some(s) => {
                let first = first_kept[oc[o].section].unwrap_or(start(s));
                last.map_or(first, |n| n + 1).clamp(start(s), end(s))
            }
            None => stood[oc[o].section],
        };
        last = anchor[o].or(last);
    }
    places
}

/// A wholly emphasised paragraph reads as a heading to the normalizer, so
/// emphasis alone can turn a clause into a section heading. An unpaired section
/// whose heading is the text of a clause added (or removed) on the other side, at
/// the same place (in the same region: after the same pair of sections), is that
/// clause: neither is reported. Marks such sections in `ghost_*`. Elsewhere the
/// line went to another place, and the clause and the section are both reported.
#[allow(clippy::too_many_arguments)]
fn drop_pseudo_headings(
    old: &Document,
    new: &Document,
    oc: &[Clause],
    nc: &[Clause],
    alignment: &sections::Alignment,
    links: Vec<Link>,
    ghost_old: &mut [bool],
    ghost_new: &mut [bool],
) -> Vec<Link> {
    use std::collections::VecDeque;
    // Unpaired headings by (key, region).
    type Heads = rustc_hash::FxHashMap<(String, usize), VecDeque<usize>>;
    let (old_region, new_region) = sections::regions(alignment);
    let unpaired = |doc: &Document, pairs: &[Option<usize>], region: &[usize]| {
        let mut by_key = Heads::default();
        for (i, s) in doc.sections.iter().enumerate() {
            if let (None, Some(h)) = (pairs[i], &s.heading) {
                by_key.entry((segment::key(h), region[i])).or_default().push_back(i);
            }
        }
        by_key
    };
    let mut old_heads = unpaired(old, &alignment.old_to_new, &old_region);
    let mut new_heads = unpaired(new, &alignment.new_to_old, &new_region);
    if old_heads.is_empty() && new_heads.is_empty() {
        return links;
    }
    // The first unpaired heading with the clause's text in the clause's region.
    let take = |heads: &mut Heads, c: &Clause, region: usize| {
        heads.get_mut(&(c.key.clone(), region)).and_then(VecDeque::pop_front)
    };
    links
        .into_iter()
        .filter(|link| match link {
            Link::Added(n) => match take(&mut old_heads, &nc[*n], new_region[nc[*n].section]) {
                Some(s) => {
                    ghost_old[s] = true;
                    false
                }
                None => true,
            },
            Link::Removed(o) => match take(&mut new_heads, &oc[*o], old_region[oc[*o].section]) {
                Some(s) => {
                    ghost_new[s] = true;
                    false
                }
                None => true,
            },
            _ => true,
        })
        .collect()
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// What the clauses made of each section, for [`section_changes`].
struct Marks<'a> {
    /// A change names a clause of the section.
    touched_old: &'a [bool],
    touched_new: &'a [bool],
    /// The old section an unpaired new section was cut from.
    split_from: &'a [Option<usize>],
    /// The new section an unpaired old section's text now reads in.
    merged_into: &'a [Option<usize>],
}

/// The sections of both versions with their status, in new reading order.
fn section_changes(
    old: &Document,
    new: &Document,
    alignment: &sections::Alignment,
    marks: &Marks<'_>,
    ghost_old: &[bool],
    ghost_new: &[bool],
) -> Vec<SectionChange> {
    let Marks { touched_old, touched_new, split_from, merged_into } = *marks;
    let moved = sections::moved(alignment);
    let mut out = Vec::new();
    let mut next_old = 0;
    let removed = |o: usize| {
        let into = merged_into[o].map(|n| &new.sections[n]);
        SectionChange {
            status: if into.is_some() { SectionStatus::Merged } else { SectionStatus::Removed },
            old_heading: old.sections[o].heading.clone(),
            new_heading: into.and_then(|s| s.heading.clone()),
            old_path: Some(old.sections[o].path.clone()),
            new_path: into.map(|s| s.path.clone()),
        }
    };
    for (n, section) in new.sections.iter().enumerate() {
        let Some(o) = alignment.new_to_old[n] else {
            if ghost_new[n] {
                continue;
            }
            let from = split_from[n].map(|o| &old.sections[o]);
            out.push(SectionChange {
                status: if from.is_some() { SectionStatus::Split } else { SectionStatus::Added },
                old_heading: from.and_then(|s| s.heading.clone()),
                new_heading: section.heading.clone(),
                old_path: from.map(|s| s.path.clone()),
                new_path: Some(section.path.clone()),
            });
            continue;
        };
        if !moved[n] {
            while next_old < o {
                if alignment.old_to_new[next_old].is_none() && !ghost_old[next_old] {
                    out.push(removed(next_old));
                }
                next_old += 1;
            }
            next_old = next_old.max(o + 1);
        }
        let old_section = &old.sections[o];
        let heading_key = |h: &Option<String>| h.as_deref().map(segment::key);
        let status = if heading_key(&old_section.heading) != heading_key(&section.heading) {
            SectionStatus::Renamed
        } else if moved[n] {
            SectionStatus::Moved
        } else if touched_old[o] || touched_new[n] {
            SectionStatus::Changed
        } else {
            SectionStatus::Unchanged
        };
        out.push(SectionChange {
            status,
            old_heading: old_section.heading.clone(),
            new_heading: section.heading.clone(),
            old_path: Some(old_section.path.clone()),
            new_path: Some(section.path.clone()),
        });
    }
    for (o, ghost) in ghost_old.iter().enumerate().skip(next_old) {
        if alignment.old_to_new[o].is_none() && !ghost {
            out.push(removed(o));
        }
    }
    out
}

#[cfg(test)]
mod mirror_tests;
#[cfg(test)]
mod tests;
