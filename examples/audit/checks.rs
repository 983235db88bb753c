//! The audit's counts and mechanical checks, on one pair's [`DocumentDiff`] at a time.
//! Every check names a report that is wrong on its face, whatever the right
//! alignment is: each must find nothing.

use std::collections::{BTreeMap, VecDeque};
use std::fmt::Write as _;

use policydiff::diff::segment::{clauses, key, Clause};
use policydiff::diff::{Change, ChangeKind, DocumentDiff, SectionStatus, Summary, WordOpKind};
use policydiff::document::Document;
use rustc_hash::{FxHashMap, FxHashSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Older version → newer one.
    Forward,
    /// Newer version → older one.
    Backward,
}

/// Counts of one direction over all pairs.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub pairs: usize,
    pub unchanged_pairs: usize,
    /// The reports' summaries, added up.
    pub changes: Summary,
}

/// The checks, in the order of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Check {
    Cosmetic,
    MovedInPlace,
    RuleLine,
    Rebuild,
    LowSimilarity,
    Lost,
    Unreported,
    RemovedOldSection,
    RemovedNewSection,
    Mirror,
}

impl Check {
    pub const ALL: [Check; 10] = [
        Check::Cosmetic,
        Check::MovedInPlace,
        Check::RuleLine,
        Check::Rebuild,
        Check::LowSimilarity,
        Check::Lost,
        Check::Unreported,
        Check::RemovedOldSection,
        Check::RemovedNewSection,
        Check::Mirror,
    ];

    /// The short name of the table (docs/audit.md says what each counts).
    pub fn name(self) -> &'static str {
        match self {
            Check::Cosmetic => "cosmetic rewording",
            Check::MovedInPlace => "move in place",
            Check::RuleLine => "rule line",
            Check::Rebuild => "word diff rebuild",
            Check::LowSimilarity => "low similarity",
            Check::Lost => "lost text",
            Check::Unreported => "unreported relocation",
            Check::RemovedOldSection => "removed, wrong old section",
            Check::RemovedNewSection => "removed, wrong new section",
            Check::Mirror => "mirror",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Check::Cosmetic => "reworded clauses with the same words whose texts differ only in white space or cosmetics (quotes, dashes, emphasis)",
            Check::MovedInPlace => "moved clauses with identical text and identical section",
            Check::RuleLine => "clauses or headings that are rule lines (`====`, `----`), in the versions",
            Check::Rebuild => "word diffs that do not rebuild `old` (equal + delete) and `new` (equal + insert) exactly",
            Check::LowSimilarity => "reworded pairs with similarity < 0.3",
            Check::Lost => "clauses of the old version found neither in the report nor in the new version (lost text)",
            Check::Unreported => "clauses of the old version that left their section unreported (in the new version, but not in their section's counterpart nor in the report)",
            Check::RemovedOldSection => "removed clauses whose `old_section` is not the section they were in",
            Check::RemovedNewSection => "removed clauses shown under a new section that is not their old section's counterpart",
            Check::Mirror => "pairs whose two directions disagree (added ↔ removed, the same clauses)",
        }
    }

    /// What a case is counted in.
    fn unit(self) -> &'static str {
        match self {
            Check::RuleLine | Check::Lost | Check::Unreported => "clauses",
            Check::Mirror => "pairs",
            _ => "changes",
        }
    }
}

#[derive(Debug, Default, Clone)]
pub struct Found {
    pub cases: usize,
    /// Cases per pair (or version).
    pub places: BTreeMap<String, usize>,
    pub examples: Vec<String>,
}

/// The audit of a whole corpus.
#[derive(Debug, Default)]
pub struct Audit {
    pub forward: Counts,
    pub backward: Counts,
    pub versions: usize,
    pub found: BTreeMap<Check, Found>,
    /// Reworded clauses whose words are the same, only punctuation changed (not
    /// necessarily wrong: shown for information).
    pub punctuation_only: usize,
    /// Examples kept per check (at least 20).
    pub keep: usize,
}

const KEEP: usize = 20;

impl Audit {
    fn record(&mut self, check: Check, place: &str, example: impl FnOnce() -> String) {
        let found = self.found.entry(check).or_default();
        found.cases += 1;
        *found.places.entry(place.to_string()).or_default() += 1;
        if found.examples.len() < KEEP.max(self.keep) {
            found.examples.push(format!("{place}: {}", example()));
        }
    }

    /// Whether every check found nothing.
    pub fn clean(&self) -> bool {
        self.found.values().all(|f| f.cases == 0)
    }

    pub fn cases(&self, check: Check) -> usize {
        self.found.get(&check).map_or(0, |f| f.cases)
    }

    /// Checks one version on its own: no clause or heading is a rule line.
    pub fn version(&mut self, name: &str, doc: &Document) {
        self.versions += 1;
        for c in clauses(doc) {
            if is_rule_line(&c.text) {
                self.record(Check::RuleLine, name, || format!("clause {:?}", short(&c.text)));
            }
        }
        for s in &doc.sections {
            if let Some(h) = s.heading.as_deref().filter(|h| is_rule_line(h)) {
                self.record(Check::RuleLine, name, || format!("heading {:?}", short(h)));
            }
        }
    }

    /// Counts and checks the diff `d` of `old` → `new`.
    pub fn pair(
        &mut self,
        place: &str,
        direction: Direction,
        old: &Document,
        new: &Document,
        d: &DocumentDiff,
    ) {
        let counts = match direction {
            Direction::Forward => &mut self.forward,
            Direction::Backward => &mut self.backward,
        };
        counts.pairs += 1;
        counts.unchanged_pairs += usize::from(d.is_empty());
        let (total, s) = (&mut counts.changes, &d.summary);
        total.added += s.added;
        total.removed += s.removed;
        total.reworded += s.reworded;
        total.moved += s.moved;
        total.sections_added += s.sections_added;
        total.sections_removed += s.sections_removed;
        total.sections_renamed += s.sections_renamed;
        total.sections_split += s.sections_split;
        total.sections_merged += s.sections_merged;

        let (oc, nc) = (clauses(old), clauses(new));
        // Clauses some change names (on either side): the others stayed where they were.
        let reported: FxHashSet<String> =
            d.changes.iter().flat_map(|c| [c.old.as_deref(), c.new.as_deref()]).flatten().map(key).collect();
        let v = Versions { old, oc: &oc, new, nc: &nc, reported: &reported };
        for c in &d.changes {
            self.change(place, c, &v);
        }
        self.lost(place, &v, d);
    }

    fn change(&mut self, place: &str, c: &Change, v: &Versions<'_>) {
        let Versions { old, oc, .. } = *v;
        let (o, n) = (c.old.as_deref().unwrap_or(""), c.new.as_deref().unwrap_or(""));
        let changed_text = c.kind == ChangeKind::Reworded || c.kind == ChangeKind::Moved && c.words.is_some();
        if changed_text {
            let (ko, kn) = (squeeze(&key(o)), squeeze(&key(n)));
            // The same words (no two glued into one), only white space or
            // cosmetics around them changed.
            if ko == kn && words_of(&key(o)) == words_of(&key(n)) {
                self.record(Check::Cosmetic, place, || format!("{:?} → {:?}", short(o), short(n)));
            } else if words_of(&ko) == words_of(&kn) {
                self.punctuation_only += 1;
            }
        }
        if c.kind == ChangeKind::Moved
            && key(o) == key(n)
            && c.old_section == c.new_section
            && same_neighbours(&key(o), c, v)
        {
            self.record(Check::MovedInPlace, place, || {
                format!("{:?} in {:?}", short(o), c.old_section.as_deref().unwrap_or("(preamble)"))
            });
        }
        if let Some(ops) = &c.words {
            let (mut rebuilt_old, mut rebuilt_new) = (String::new(), String::new());
            for op in ops {
                match op.op {
                    WordOpKind::Equal => {
                        rebuilt_old.push_str(&op.text);
                        rebuilt_new.push_str(&op.text);
                    }
                    WordOpKind::Delete => rebuilt_old.push_str(&op.text),
                    WordOpKind::Insert => rebuilt_new.push_str(&op.text),
                }
            }
            if rebuilt_old != o || rebuilt_new != n {
                self.record(Check::Rebuild, place, || {
                    let (side, want, got) =
                        if rebuilt_old != o { ("old", o, rebuilt_old) } else { ("new", n, rebuilt_new) };
                    let at = first_difference(want, &got);
                    format!("{side} {:?} rebuilt as {:?}", around(want, at), around(&got, at))
                });
            }
        }
        if c.kind == ChangeKind::Reworded && c.similarity.is_some_and(|s| s < 0.3) {
            self.record(Check::LowSimilarity, place, || {
                format!("{:.2}: {:?} → {:?}", c.similarity.unwrap_or(0.0), short(o), short(n))
            });
        }
        if c.kind == ChangeKind::Removed {
            let k = key(o);
            let homes: Vec<Option<&str>> = oc
                .iter()
                .filter(|x| x.key == k)
                .map(|x| old.sections[x.section].heading.as_deref())
                .collect();
            // A removed change joining several clauses is looked up clause by clause.
            let found_home = if homes.is_empty() {
                oc.iter()
                    .filter(|x| k.contains(&x.key))
                    .any(|x| old.sections[x.section].heading.as_deref() == c.old_section.as_deref())
            } else {
                homes.contains(&c.old_section.as_deref())
            };
            if !found_home {
                self.record(Check::RemovedOldSection, place, || {
                    format!(
                        "{:?} reported in {:?}, was in {:?}",
                        short(o),
                        c.old_section.as_deref().unwrap_or("(preamble)"),
                        homes.first().copied().flatten().unwrap_or("(preamble)")
                    )
                });
            }
        }
    }

    /// Clauses of `old` that are neither unchanged in their section's counterpart nor
    /// anywhere in the report: lost when `new` holds them nowhere (as a clause or a
    /// heading), unreported when it holds them elsewhere; and removed clauses shown
    /// under a section that is not their own section's counterpart.
    fn lost(&mut self, place: &str, v: &Versions<'_>, d: &DocumentDiff) {
        let Versions { old, oc, new, nc, .. } = *v;
        let pairing = Pairing::of(old, new, oc, nc, d);
        let pairs = &pairing.pairs;
        let mut kept: FxHashSet<(usize, &str)> = FxHashSet::default();
        // Each new section's clauses read as one text, so that a clause cut in two or
        // joined to its neighbour without a word changed (not a change) is found.
        let mut section_text = vec![String::new(); new.sections.len()];
        for c in nc {
            let home = pairing.new_home[c.section];
            kept.insert((home, c.key.as_str()));
            section_text[home].push_str(&c.key);
            section_text[home].push(' ');
        }
        let mut anywhere: FxHashSet<String> =
            new.sections.iter().filter_map(|s| s.heading.as_deref()).map(key).collect();
        anywhere.extend(nc.iter().map(|c| c.key.clone()));
        let whole = section_text.concat();
        let reported: Vec<String> = d.changes.iter().filter_map(|c| c.old.as_deref()).map(key).collect();
        let reported_set: FxHashSet<&str> = reported.iter().map(String::as_str).collect();
        for c in oc {
            // In place: in its section's counterpart (or a section split from its own,
            // or the one its own merged into), or there as an emphasised line the
            // normalizer took for a heading.
            let home = pairing.old_home[c.section];
            let in_place =
                pairs[home].iter().chain(&pairing.merged_into[home]).chain(&pairing.split_off[home]).any(
                    |&n| {
                        let n = pairing.new_home[n];
                        kept.contains(&(n, c.key.as_str()))
                            || section_text[n].contains(&c.key)
                            || pairing.new_pseudo.get(&c.key).is_some_and(|homes| homes.contains(&n))
                    },
                );
            if in_place
                || reported_set.contains(c.key.as_str())
                || reported.iter().any(|r| r.contains(&c.key))
            {
                continue;
            }
            let elsewhere = anywhere.contains(&c.key) || whole.contains(&c.key);
            let check = if elsewhere { Check::Unreported } else { Check::Lost };
            self.record(check, place, || {
                let now = nc
                    .iter()
                    .find(|x| x.key == c.key)
                    .map(|x| new.sections[x.section].heading.as_deref().unwrap_or("(preamble)"));
                format!(
                    "{:?} (in {:?}{})",
                    short(&c.text),
                    old.sections[c.section].heading.as_deref().unwrap_or("(preamble)"),
                    now.map(|h| format!(", now in {h:?}")).unwrap_or_default()
                )
            });
        }
        // Removed clauses: shown under the counterpart of their old section (or under
        // no new section when theirs was removed). A clause whose text is in several
        // places of the old version may be any of them that is under its `old_section`.
        for ch in d.changes.iter().filter(|c| c.kind == ChangeKind::Removed) {
            let k = key(ch.old.as_deref().unwrap_or(""));
            let homes: Vec<usize> = oc.iter().filter(|x| x.key == k).map(|x| x.section).collect();
            let named: Vec<usize> = homes
                .iter()
                .copied()
                .filter(|&s| old.sections[s].heading.as_deref() == ch.old_section.as_deref())
                .collect();
            let Some(&first) = homes.first() else { continue };
            let candidates = if named.is_empty() { vec![first] } else { named };
            // A merged section's clauses read in the section it merged into.
            let shown_right = |home: usize| {
                let home = pairing.old_home[home];
                match pairs[home].or(pairing.merged_into[home]) {
                    Some(n) => ch.new_section.as_deref() == new.sections[n].heading.as_deref(),
                    None => ch.new_section.is_none(),
                }
            };
            if !candidates.iter().any(|&h| shown_right(h)) {
                let home = candidates[0];
                self.record(Check::RemovedNewSection, place, || {
                    format!(
                        "{:?} from {:?} shown under {:?}",
                        short(ch.old.as_deref().unwrap_or("")),
                        old.sections[home].heading.as_deref().unwrap_or("(preamble)"),
                        ch.new_section.as_deref().unwrap_or("(none)")
                    )
                });
            }
        }
    }

    /// Compares the diffs of A → B and B → A: each added clause of one is a removed
    /// clause of the other, rewordings and moves are the same pairs the other way.
    pub fn mirror(&mut self, place: &str, forward: &DocumentDiff, backward: &DocumentDiff) {
        if let Some(why) = mirror_difference(forward, backward) {
            self.record(Check::Mirror, place, || why);
        }
    }

    /// The table of counts and checks, then up to `examples` cases of each failed check.
    pub fn render(&self, examples: usize) -> String {
        let mut out = String::new();
        let (f, b) = (&self.forward, &self.backward);
        let _ = writeln!(
            out,
            "{} versions, {} consecutive pairs, each diffed both ways\n",
            self.versions, f.pairs
        );
        let _ = writeln!(out, "| count | older → newer | newer → older |");
        let _ = writeln!(out, "|---|---|---|");
        let rows: [(&str, usize, usize); 11] = [
            ("pairs", f.pairs, b.pairs),
            ("pairs reported unchanged", f.unchanged_pairs, b.unchanged_pairs),
            ("clauses added", f.changes.added, b.changes.added),
            ("clauses removed", f.changes.removed, b.changes.removed),
            ("clauses reworded", f.changes.reworded, b.changes.reworded),
            ("clauses moved", f.changes.moved, b.changes.moved),
            ("sections added", f.changes.sections_added, b.changes.sections_added),
            ("sections removed", f.changes.sections_removed, b.changes.sections_removed),
            ("sections renamed", f.changes.sections_renamed, b.changes.sections_renamed),
            ("sections split", f.changes.sections_split, b.changes.sections_split),
            ("sections merged", f.changes.sections_merged, b.changes.sections_merged),
        ];
        for (name, x, y) in rows {
            let _ = writeln!(out, "| {name} | {x} | {y} |");
        }
        let _ = writeln!(out, "\n| check (must be 0) | found | in |");
        let _ = writeln!(out, "|---|---|---|");
        for check in Check::ALL {
            let cases = self.cases(check);
            let places = self.found.get(&check).map_or(0, |f| f.places.len());
            let where_ = match check {
                Check::RuleLine => format!("{places} versions"),
                Check::Mirror => format!("{places} of {} pairs", f.pairs),
                _ => format!("{places} of {} directed pairs", f.pairs + b.pairs),
            };
            let _ = writeln!(out, "| {} | {cases} {} | {where_} |", check.name(), check.unit());
        }
        let _ = writeln!(
            out,
            "\n(for information: {} reworded clauses change only punctuation, their words the same)",
            self.punctuation_only
        );
        for check in Check::ALL {
            let Some(found) = self.found.get(&check).filter(|f| f.cases > 0) else { continue };
            let _ =
                writeln!(out, "\n{} ({}): {} {}", check.name(), check.describe(), found.cases, check.unit());
            let mut worst: Vec<(&String, &usize)> = found.places.iter().collect();
            worst.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            let worst: Vec<String> = worst.iter().take(5).map(|(p, n)| format!("{p} ({n})")).collect();
            let _ = writeln!(out, "  most in: {}", worst.join("; "));
            for e in found.examples.iter().take(examples) {
                let _ = writeln!(out, "  - {e}");
            }
        }
        out
    }
}

/// How the report pairs the sections of two versions, as a reader of its `sections`
/// list sees it (sections are matched to the list's entries by path, in order of
/// occurrence).
struct Pairing {
    /// For each old section, the new section the report pairs it with.
    pairs: Vec<Option<usize>>,
    /// For each old section the report lists as merged, the new section it merged into.
    merged_into: Vec<Option<usize>>,
    /// For each old section, the new sections the report lists as split from it.
    split_off: Vec<Vec<usize>>,
    /// For each old (new) section, the section whose text it is part of: itself, or,
    /// for a pseudo-heading the list leaves out, the section before it.
    old_home: Vec<usize>,
    new_home: Vec<usize>,
    /// The new pseudo-headings by key, with the section their text is part of.
    new_pseudo: FxHashMap<String, Vec<usize>>,
}

impl Pairing {
    /// A section the list leaves out is a pseudo-heading (docs/diff.md: a wholly
    /// emphasised paragraph, which the normalizer reads as a heading) only when its
    /// heading is the text of a clause of the other version: emphasis is cosmetic, so
    /// its text is still part of the section before it. Any other section left out
    /// of the list stays a section of its own, paired with nothing.
    fn of(old: &Document, new: &Document, oc: &[Clause], nc: &[Clause], d: &DocumentDiff) -> Pairing {
        let (mut oq, mut nq) = (path_queues(old), path_queues(new));
        let mut pairs = vec![None; old.sections.len()];
        let (mut old_listed, mut new_listed) =
            (vec![false; old.sections.len()], vec![false; new.sections.len()]);
        // A split entry lists its new section (the other path names the section it was
        // cut from, listed on its own); a merged one its old section.
        let mut splits: Vec<(usize, &[String])> = Vec::new();
        let mut merges: Vec<(usize, &[String])> = Vec::new();
        let take = |q: &mut FxHashMap<&[String], VecDeque<usize>>, p: &Option<Vec<String>>| {
            p.as_deref().and_then(|p| q.get_mut(p)).and_then(VecDeque::pop_front)
        };
        for s in &d.sections {
            match (s.status, s.old_path.as_deref(), s.new_path.as_deref()) {
                (SectionStatus::Split, Some(from), _) => {
                    if let Some(n) = take(&mut nq, &s.new_path) {
                        new_listed[n] = true;
                        splits.push((n, from));
                    }
                    continue;
                }
                (SectionStatus::Merged, _, Some(into)) => {
                    if let Some(o) = take(&mut oq, &s.old_path) {
                        old_listed[o] = true;
                        merges.push((o, into));
                    }
                    continue;
                }
                _ => {}
            }
            let o = take(&mut oq, &s.old_path);
            let n = take(&mut nq, &s.new_path);
            if let Some(o) = o {
                old_listed[o] = true;
            }
            if let Some(n) = n {
                new_listed[n] = true;
            }
            if let (Some(o), Some(n)) = (o, n) {
                pairs[o] = Some(n);
            }
        }
        // The partner of a split or merged section, by path (the first section with it).
        let first = |doc: &Document, path: &[String]| doc.sections.iter().position(|s| s.path == path);
        let mut split_off = vec![Vec::new(); old.sections.len()];
        for (n, from) in splits {
            if let Some(o) = first(old, from) {
                split_off[o].push(n);
            }
        }
        let mut merged_into = vec![None; old.sections.len()];
        for (o, into) in merges {
            merged_into[o] = first(new, into);
        }
        let homes = |doc: &Document, listed: &[bool], other: &[Clause]| {
            let other: FxHashSet<&str> = other.iter().map(|c| c.key.as_str()).collect();
            let mut home: Vec<usize> = (0..doc.sections.len()).collect();
            for (i, s) in doc.sections.iter().enumerate().skip(1) {
                let pseudo = s.heading.as_deref().is_some_and(|h| other.contains(key(h).as_str()));
                if !listed[i] && pseudo {
                    home[i] = home[i - 1];
                }
            }
            home
        };
        let old_home = homes(old, &old_listed, nc);
        let new_home = homes(new, &new_listed, oc);
        let mut new_pseudo: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        for (i, s) in new.sections.iter().enumerate() {
            if let (true, Some(h)) = (new_home[i] != i, s.heading.as_deref()) {
                new_pseudo.entry(key(h)).or_default().push(new_home[i]);
            }
        }
        Pairing { pairs, merged_into, split_off, old_home, new_home, new_pseudo }
    }
}

fn path_queues(doc: &Document) -> FxHashMap<&[String], VecDeque<usize>> {
    let mut q: FxHashMap<&[String], VecDeque<usize>> = FxHashMap::default();
    for (i, s) in doc.sections.iter().enumerate() {
        q.entry(s.path.as_slice()).or_default().push_back(i);
    }
    q
}

/// Why the two directions of a pair disagree, if they do.
pub fn mirror_difference(forward: &DocumentDiff, backward: &DocumentDiff) -> Option<String> {
    let (f, b) = (&forward.summary, &backward.summary);
    let counts = [
        ("added ↔ removed", f.added, b.removed),
        ("removed ↔ added", f.removed, b.added),
        ("reworded", f.reworded, b.reworded),
        ("moved", f.moved, b.moved),
        ("sections added ↔ removed", f.sections_added, b.sections_removed),
        ("sections removed ↔ added", f.sections_removed, b.sections_added),
        ("sections renamed", f.sections_renamed, b.sections_renamed),
        ("sections split ↔ merged", f.sections_split, b.sections_merged),
        ("sections merged ↔ split", f.sections_merged, b.sections_split),
    ];
    for (what, x, y) in counts {
        if x != y {
            return Some(format!("{what}: {x} one way, {y} the other"));
        }
    }
    // The same clauses: compared as sorted lists of (kind, old key, new key), the
    // backward ones turned around.
    let side = |d: &DocumentDiff, flip: bool| {
        let mut v: Vec<(u8, String, String)> = d
            .changes
            .iter()
            .map(|c| {
                let (o, n) = (
                    c.old.as_deref().map(key).unwrap_or_default(),
                    c.new.as_deref().map(key).unwrap_or_default(),
                );
                let kind = match (c.kind, flip) {
                    (ChangeKind::Added, false) | (ChangeKind::Removed, true) => 0,
                    (ChangeKind::Removed, false) | (ChangeKind::Added, true) => 1,
                    (ChangeKind::Reworded, _) => 2,
                    (ChangeKind::Moved, _) => 3,
                };
                if flip {
                    (kind, n, o)
                } else {
                    (kind, o, n)
                }
            })
            .collect();
        v.sort();
        v
    };
    let (fv, bv) = (side(forward, false), side(backward, true));
    if fv != bv {
        let name = ["added", "removed", "reworded", "moved"];
        let only_f = fv.iter().find(|x| !bv.contains(x));
        let only_b = bv.iter().find(|x| !fv.contains(x));
        let show = |x: Option<&(u8, String, String)>| match x {
            Some((k, o, n)) => format!("{} {:?} → {:?}", name[*k as usize], short(o), short(n)),
            None => "(nothing)".into(),
        };
        return Some(format!("one way only: {}; the other way only: {}", show(only_f), show(only_b)));
    }
    None
}

/// The two versions of a directed pair, their clauses, and the keys of the clauses some
/// change names (on either side): what every check of one change reads.
#[derive(Clone, Copy)]
struct Versions<'a> {
    old: &'a Document,
    oc: &'a [Clause],
    new: &'a Document,
    nc: &'a [Clause],
    reported: &'a FxHashSet<String>,
}

/// Whether a clause reported moved within its section sits between the same unmoved
/// neighbours (the nearest clauses of its section that no change names) in both
/// versions: then it did not change place, and the move is not one (issue 8, item 5). A
/// clause outside the longest run kept in order did change place relative to them.
fn same_neighbours(k: &str, c: &Change, v: &Versions<'_>) -> bool {
    let Versions { old, oc, new, nc, reported } = *v;
    fn around<'a>(
        k: &str,
        doc: &Document,
        cs: &'a [Clause],
        section: Option<&str>,
        reported: &FxHashSet<String>,
    ) -> Option<(Option<&'a str>, Option<&'a str>)> {
        let at =
            cs.iter().position(|x| x.key == k && doc.sections[x.section].heading.as_deref() == section)?;
        let home = cs[at].section;
        let stayed = |x: &&Clause| x.section == home && !reported.contains(&x.key);
        let before = cs[..at].iter().rev().find(stayed).map(|x| x.key.as_str());
        let after = cs[at + 1..].iter().find(stayed).map(|x| x.key.as_str());
        Some((before, after))
    }
    match (
        around(k, old, oc, c.old_section.as_deref(), reported),
        around(k, new, nc, c.new_section.as_deref(), reported),
    ) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    }
}

/// A line of rule characters only (`====`, `----`, `***`, `___`), three or more.
pub fn is_rule_line(text: &str) -> bool {
    let t: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    t.len() >= 3 && t.iter().all(|c| matches!(c, '=' | '-' | '_' | '*' | '~' | '—' | '–' | '#' | '+'))
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn words_of(s: &str) -> Vec<&str> {
    s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect()
}

fn short(s: &str) -> String {
    const MAX: usize = 100;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(MAX).collect::<String>())
    }
}

fn first_difference(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

/// Up to 30 characters either side of character `at`.
fn around(s: &str, at: usize) -> String {
    let start = at.saturating_sub(30);
    let piece: String = s.chars().skip(start).take(60).collect();
    if start > 0 {
        format!("…{piece}")
    } else {
        piece
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use policydiff::diff::{SectionChange, WordOp};
    use policydiff::normalize::normalize_markdown;

    fn change(kind: ChangeKind, old: Option<&str>, new: Option<&str>, section: &str) -> Change {
        Change {
            kind,
            old_section: Some(section.into()),
            new_section: Some(section.into()),
            old: old.map(Into::into),
            new: new.map(Into::into),
            similarity: None,
            words: None,
        }
    }

    fn unchanged_sections(doc: &Document) -> Vec<SectionChange> {
        doc.sections
            .iter()
            .map(|s| SectionChange {
                status: SectionStatus::Unchanged,
                old_heading: s.heading.clone(),
                new_heading: s.heading.clone(),
                old_path: Some(s.path.clone()),
                new_path: Some(s.path.clone()),
            })
            .collect()
    }

    fn op(op: WordOpKind, text: &str) -> WordOp {
        WordOp { op, text: text.into() }
    }

    const DOC: &str =
        "## Cookies\n\nWe use cookies. We may share data.\n\n## Children\n\nNo data of children.\n";

    #[test]
    fn a_rewording_of_white_space_alone_is_flagged() {
        let doc = normalize_markdown(DOC);
        let mut c = change(
            ChangeKind::Reworded,
            Some("We collect and/ or use data."),
            Some("We collect and/or use data."),
            "Cookies",
        );
        c.words = Some(vec![
            op(WordOpKind::Equal, "We collect and/"),
            op(WordOpKind::Delete, " "),
            op(WordOpKind::Equal, "or use data."),
        ]);
        c.similarity = Some(1.0);
        let d = DocumentDiff::from_parts(unchanged_sections(&doc), vec![c]);
        let mut audit = Audit::default();
        audit.pair("p", Direction::Forward, &doc, &doc, &d);
        assert_eq!(audit.cases(Check::Cosmetic), 1);
        assert_eq!(audit.cases(Check::Rebuild), 0, "{:?}", audit.found);
    }

    #[test]
    fn a_word_diff_that_drops_an_underscore_is_flagged() {
        let doc = normalize_markdown(DOC);
        let mut c = change(
            ChangeKind::Reworded,
            Some("Go to /delete_account now."),
            Some("Go to /delete_account today."),
            "Cookies",
        );
        c.words = Some(vec![
            op(WordOpKind::Equal, "Go to /deleteaccount "),
            op(WordOpKind::Delete, "now"),
            op(WordOpKind::Insert, "today"),
            op(WordOpKind::Equal, "."),
        ]);
        c.similarity = Some(0.8);
        let d = DocumentDiff::from_parts(unchanged_sections(&doc), vec![c]);
        let mut audit = Audit::default();
        audit.pair("p", Direction::Forward, &doc, &doc, &d);
        assert_eq!(audit.cases(Check::Rebuild), 1);
        assert_eq!(audit.cases(Check::Cosmetic), 0);
    }

    #[test]
    fn a_clause_in_no_list_and_not_in_place_is_lost() {
        let old = normalize_markdown(DOC);
        let new =
            normalize_markdown("## Cookies\n\nWe use cookies.\n\n## Children\n\nNo data of children.\n");
        let silent = DocumentDiff::from_parts(unchanged_sections(&old), vec![]);
        let mut audit = Audit::default();
        audit.pair("p", Direction::Forward, &old, &new, &silent);
        assert_eq!((audit.cases(Check::Lost), audit.cases(Check::Unreported)), (1, 0));
        let reported = DocumentDiff::from_parts(
            unchanged_sections(&old),
            vec![change(ChangeKind::Removed, Some("We may share data."), None, "Cookies")],
        );
        let mut audit = Audit::default();
        audit.pair("p", Direction::Forward, &old, &new, &reported);
        assert!(audit.clean(), "{:?}", audit.found);
    }

    #[test]
    fn a_clause_whose_heading_was_deleted_and_is_not_reported_left_its_section_unreported() {
        let old = normalize_markdown(DOC);
        let new =
            normalize_markdown("## Cookies\n\nWe use cookies. We may share data.\n\nNo data of children.\n");
        let mut sections = unchanged_sections(&old);
        sections[1].status = SectionStatus::Removed;
        (sections[1].new_heading, sections[1].new_path) = (None, None);
        let silent = DocumentDiff::from_parts(sections, vec![]);
        let mut audit = Audit::default();
        audit.pair("p", Direction::Forward, &old, &new, &silent);
        assert_eq!((audit.cases(Check::Lost), audit.cases(Check::Unreported)), (0, 1));
    }

    #[test]
    fn a_clause_under_a_heading_inserted_above_it_is_accounted_for_by_the_split_section() {
        let old = normalize_markdown(DOC);
        let new = normalize_markdown(
            "## Cookies\n\nWe use cookies.\n\n## Sharing\n\nWe may share data.\n\n## Children\n\nNo data of children.\n",
        );
        let section = |status, o: Option<usize>, n: Option<usize>| SectionChange {
            status,
            old_heading: o.and_then(|o| old.sections[o].heading.clone()),
            new_heading: n.and_then(|n| new.sections[n].heading.clone()),
            old_path: o.map(|o| old.sections[o].path.clone()),
            new_path: n.map(|n| new.sections[n].path.clone()),
        };
        let split = vec![
            section(SectionStatus::Unchanged, Some(0), Some(0)),
            section(SectionStatus::Split, Some(0), Some(1)),
            section(SectionStatus::Unchanged, Some(1), Some(2)),
        ];
        let mut audit = Audit::default();
        audit.pair("p", Direction::Forward, &old, &new, &DocumentDiff::from_parts(split, vec![]));
        assert!(audit.clean(), "{:?}", audit.found);
        // Reported added instead, the section says nothing of where the text came from.
        let added = vec![
            section(SectionStatus::Unchanged, Some(0), Some(0)),
            section(SectionStatus::Added, None, Some(1)),
            section(SectionStatus::Unchanged, Some(1), Some(2)),
        ];
        let mut audit = Audit::default();
        audit.pair("p", Direction::Forward, &old, &new, &DocumentDiff::from_parts(added, vec![]));
        assert_eq!(audit.cases(Check::Unreported), 1);
        // The other way: merged into "Cookies", its removed clause shown there.
        let merged = [
            section(SectionStatus::Unchanged, Some(0), Some(0)),
            section(SectionStatus::Unchanged, Some(1), Some(2)),
        ];
        let mut back_sections: Vec<SectionChange> = merged
            .iter()
            .map(|s| SectionChange {
                status: s.status,
                old_heading: s.new_heading.clone(),
                new_heading: s.old_heading.clone(),
                old_path: s.new_path.clone(),
                new_path: s.old_path.clone(),
            })
            .collect();
        back_sections.insert(
            1,
            SectionChange {
                status: SectionStatus::Merged,
                old_heading: Some("Sharing".into()),
                new_heading: Some("Cookies".into()),
                old_path: Some(vec!["Sharing".into()]),
                new_path: Some(vec!["Cookies".into()]),
            },
        );
        let shorter =
            normalize_markdown("## Cookies\n\nWe use cookies.\n\n## Children\n\nNo data of children.\n");
        let mut removed = change(ChangeKind::Removed, Some("We may share data."), None, "Sharing");
        removed.new_section = Some("Cookies".into());
        let back = DocumentDiff::from_parts(back_sections, vec![removed]);
        let mut audit = Audit::default();
        audit.pair("p", Direction::Backward, &new, &shorter, &back);
        assert!(audit.clean(), "{:?}", audit.found);
        assert_eq!(audit.backward.changes.sections_merged, 1);
    }

    #[test]
    fn a_removed_clause_under_a_neighbouring_heading_is_flagged() {
        let old = normalize_markdown(DOC);
        let new =
            normalize_markdown("## Cookies\n\nWe use cookies.\n\n## Children\n\nNo data of children.\n");
        let mut c = change(ChangeKind::Removed, Some("We may share data."), None, "Children");
        c.new_section = Some("Children".into());
        let d = DocumentDiff::from_parts(unchanged_sections(&old), vec![c]);
        let mut audit = Audit::default();
        audit.pair("p", Direction::Forward, &old, &new, &d);
        assert_eq!(audit.cases(Check::RemovedOldSection), 1);
        assert_eq!(audit.cases(Check::RemovedNewSection), 1);
    }

    #[test]
    fn a_move_within_its_section_without_change_is_flagged() {
        let doc = normalize_markdown(DOC);
        let c = change(ChangeKind::Moved, Some("We use cookies."), Some("We use cookies."), "Cookies");
        let d = DocumentDiff::from_parts(unchanged_sections(&doc), vec![c]);
        let mut audit = Audit::default();
        audit.pair("p", Direction::Forward, &doc, &doc, &d);
        assert_eq!(audit.cases(Check::MovedInPlace), 1);
    }

    #[test]
    fn a_move_within_its_section_that_changed_place_is_not_flagged() {
        // The paragraph went above the list: the list's clauses left their place
        // relative to the sentences that stayed, so they really moved.
        let old = normalize_markdown("## Rules\n\n- Item one.\n- Item two.\n\nWe ban spam. We ban fraud.\n");
        let new = normalize_markdown("## Rules\n\nWe ban spam. We ban fraud.\n\n- Item one.\n- Item two.\n");
        let moves = vec![
            change(ChangeKind::Moved, Some("Item one."), Some("Item one."), "Rules"),
            change(ChangeKind::Moved, Some("Item two."), Some("Item two."), "Rules"),
        ];
        let d = DocumentDiff::from_parts(unchanged_sections(&old), moves);
        let mut audit = Audit::default();
        audit.pair("p", Direction::Forward, &old, &new, &d);
        assert_eq!(audit.cases(Check::MovedInPlace), 0, "{:?}", audit.found);
        // The same report on two identical versions: nothing changed place.
        let mut audit = Audit::default();
        audit.pair("p", Direction::Forward, &old, &old, &d);
        assert_eq!(audit.cases(Check::MovedInPlace), 2);
    }

    #[test]
    fn rule_lines_are_flagged_in_versions() {
        // Built by hand: the readers no longer make such clauses.
        let mut doc = normalize_markdown("## Cookies\n\nWe use cookies.\n");
        doc.push_block(policydiff::document::Block::ListItem {
            text: "========".into(),
            depth: 0,
            ordered: false,
        });
        doc.push_heading(2, "----------".into());
        let mut audit = Audit::default();
        audit.version("v", &doc);
        assert_eq!(audit.cases(Check::RuleLine), 2);
        assert!(!is_rule_line("a - b"));
        assert!(!is_rule_line("--"));
    }

    #[test]
    fn the_two_directions_of_a_real_edit_mirror_each_other() {
        let old = normalize_markdown(DOC);
        let new = normalize_markdown(
            "## Cookies\n\nWe use cookies. We will share data.\n\n## Children\n\nNo data of children.\n",
        );
        let (f, b) = (policydiff::diff::diff(&old, &new), policydiff::diff::diff(&new, &old));
        assert_eq!(mirror_difference(&f, &b), None);
        let mut lopsided = b.clone();
        lopsided.changes[0].kind = ChangeKind::Moved;
        lopsided.summary.reworded -= 1;
        lopsided.summary.moved += 1;
        assert!(mirror_difference(&f, &lopsided).is_some());
        let mut audit = Audit::default();
        audit.pair("p", Direction::Forward, &old, &new, &f);
        audit.pair("p", Direction::Backward, &new, &old, &b);
        audit.mirror("p", &f, &b);
        assert!(audit.clean(), "{:?}", audit.found);
        assert_eq!((audit.forward.changes.reworded, audit.backward.changes.reworded), (1, 1));
    }
}
