//! Clause alignment: within each pair of aligned sections a sequence diff
//! (`similar`, Patience) over the clause keys; then clauses left over with the
//! same key on both sides pair as moves (a clause present on both sides is never
//! added, removed or reworded); then the removed and added clauses of each changed
//! stretch pair by similarity into rewordings (one to one, one split in several,
//! several merged into one; table rows by their first cell); then clauses that
//! left one place and appear in another, nearly unchanged, pair as moves.
//!
//! A pair must share real content: besides the bag-of-words similarity, the
//! word diff must keep at least [`MIN_SHOWN`] of the words in order.
//! Pairing never compares every clause with every other on large inputs: a
//! rare-word index proposes the candidates, from each side (so that diffing the
//! other way finds the same pairs).

use std::collections::VecDeque;

use rustc_hash::{FxHashMap, FxHashSet};
use similar::{capture_diff_slices, Algorithm, DiffOp};

use super::sections::{longest_increasing, regions, Alignment};
use super::words::{dice, similarity, union, Vocabulary};

/// How a clause of one version relates to the other version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// Same key, same place.
    Equal {
        old: usize,
        new: usize,
    },
    /// Same clause in other words: one old to several new (split), several to one
    /// (merge), or one to one.
    Reworded {
        old: Vec<usize>,
        new: Vec<usize>,
    },
    /// The same (or nearly the same) clause at another place.
    Moved {
        old: usize,
        new: usize,
    },
    Removed(usize),
    Added(usize),
}

/// Minimum bag-of-words similarity of a reworded pair within a changed stretch.
const REWORDED: f64 = 0.5;
/// The same, for a stretch of exactly one removed and one added clause.
const REWORDED_IN_PLACE: f64 = 0.34;
/// Minimum similarity of a clause found at another place to count as moved.
const MOVED: f64 = 0.8;
/// The same when one of the two clauses (of at least `CONTAINED_WORDS` words) holds
/// `CONTAINED` of its words in the other: a clause moved with a qualifier added or a
/// word swapped is one move, not a removal and an addition.
const MOVED_CONTAINED: f64 = 0.6;
const CONTAINED: f64 = 0.9;
const CONTAINED_WORDS: usize = 5;

/// The similarity a clause at another place needs to count as moved.
fn move_threshold(a: &[u32], b: &[u32]) -> f64 {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    // Below MOVED_CONTAINED by size alone, or not worth the containment count.
    let possible = 2.0 * short.len() as f64 >= MOVED_CONTAINED * (short.len() + long.len()) as f64;
    if short.len() >= CONTAINED_WORDS && possible && containment(short, long) >= CONTAINED {
        MOVED_CONTAINED
    } else {
        MOVED
    }
}
/// Minimum word-diff similarity (words kept in order, case counts) of any pair:
/// the same words in another order or case are not the same clause.
pub const MIN_SHOWN: f64 = 0.3;
/// A split or merge takes a neighbouring clause when the match gets better and most
/// of the neighbour's words come from the other side.
const EXTEND_CONTAINED: f64 = 0.6;

fn extends(with: f64, without: f64, part: &[u32], other: &[u32]) -> bool {
    with > without && !part.is_empty() && containment(part, other) >= EXTEND_CONTAINED
}

/// Share of the words of `part` (a sorted bag) that `whole` holds.
fn containment(part: &[u32], whole: &[u32]) -> f64 {
    dice(part, whole) * (part.len() + whole.len()) as f64 / (2 * part.len()) as f64
}

/// The inputs of clause matching for one pair of documents.
pub struct Clauses<'a> {
    /// Section index of each clause.
    pub old_sections: &'a [usize],
    pub new_sections: &'a [usize],
    pub old_hashes: &'a [u64],
    pub new_hashes: &'a [u64],
    pub old_keys: Vec<&'a str>,
    pub new_keys: Vec<&'a str>,
    /// Sorted word-id bags of the clause keys, filled only for the clauses that
    /// are not simply equal (most of a long policy never needs one).
    pub old_bags: Vec<Vec<u32>>,
    pub new_bags: Vec<Vec<u32>>,
}

/// Matches the clauses of two versions.
pub fn match_clauses(c: &mut Clauses<'_>, alignment: &Alignment) -> Vec<Link> {
    let (old_region, new_region) = regions(alignment);
    let count = alignment.new_to_old.len() + 1;
    let by_region = |sections: &[usize], region: &[usize]| {
        let mut v: Vec<Vec<usize>> = vec![Vec::new(); count];
        for (i, &s) in sections.iter().enumerate() {
            v[region[s]].push(i);
        }
        v
    };
    let old_by = by_region(c.old_sections, &old_region);
    let new_by = by_region(c.new_sections, &new_region);
    let mut links = Vec::new();
    let mut hunks: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
    for (a, b) in old_by.iter().zip(&new_by) {
        // A clause stays in place only within its own section: one that crossed a
        // heading (dropped, inserted, or another section's) pairs later as a move.
        let mix = |h: u64, section: u64| h ^ section.wrapping_add(1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let ah: Vec<u64> = a
            .iter()
            .map(|&i| {
                let section = alignment.old_to_new[c.old_sections[i]].map_or(u64::MAX, |n| n as u64);
                mix(c.old_hashes[i], section)
            })
            .collect();
        let bh: Vec<u64> = b
            .iter()
            .map(|&i| {
                let n = c.new_sections[i];
                mix(c.new_hashes[i], if alignment.new_to_old[n].is_some() { n as u64 } else { u64::MAX - 1 })
            })
            .collect();
        let mut kept = Vec::new();
        sequence_matches(&ah, &bh, 0, 0, 0, &mut kept);
        let (mut i, mut j) = (0, 0);
        for (ki, kj) in kept.into_iter().chain([(a.len(), b.len())]) {
            if ki > i || kj > j {
                hunks.push((a[i..ki].to_vec(), b[j..kj].to_vec()));
            }
            if ki < a.len() {
                links.push(Link::Equal { old: a[ki], new: b[kj] });
            }
            (i, j) = (ki + 1, kj + 1);
        }
    }
    let mut vocab = Vocabulary::default();
    for (olds, news) in &hunks {
        for &o in olds {
            c.old_bags[o] = vocab.bag(c.old_keys[o]);
        }
        for &n in news {
            c.new_bags[n] = vocab.bag(c.new_keys[n]);
        }
    }
    let c = &*c;
    let hunks = pair_identical(c, hunks, &mut links);
    let (mut removed, mut added) = (Vec::new(), Vec::new());
    for (olds, news) in &hunks {
        pair_hunk(c, olds, news, &mut links, &mut removed, &mut added);
    }
    removed.sort_unstable();
    added.sort_unstable();
    let same_region = |o: usize, n: usize| old_region[c.old_sections[o]] == new_region[c.new_sections[n]];
    pair_moves(c, removed, added, &same_region, &mut links);
    links
}

/// Below this many cells (old × new clauses) a stretch is diffed exactly (Myers).
const EXACT_CELLS: usize = 1 << 16;

/// The clauses kept in order, as increasing (old, new) positions, offset by
/// (`ao`, `bo`): Patience diff (common ends; clauses unique on both sides as
/// anchors along their longest increasing run; the same between anchors), with
/// `similar`'s Patience on small stretches. Never quadratic on large ones: a large stretch
/// without an anchor is all changed.
pub(crate) fn sequence_matches(
    a: &[u64],
    b: &[u64],
    ao: usize,
    bo: usize,
    depth: u32,
    out: &mut Vec<(usize, usize)>,
) {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    out.extend((0..prefix).map(|k| (ao + k, bo + k)));
    let (a, b, ao, bo) = (&a[prefix..], &b[prefix..], ao + prefix, bo + prefix);
    let suffix = a.iter().rev().zip(b.iter().rev()).take_while(|(x, y)| x == y).count();
    let (ma, mb) = (&a[..a.len() - suffix], &b[..b.len() - suffix]);
    if !ma.is_empty() && !mb.is_empty() {
        if ma.len() * mb.len() <= EXACT_CELLS {
            // A stretch without a clause common to both sides keeps nothing (between
            // the anchors of a shuffle, every stretch is one): the exact diff would
            // take up to (a + b)² steps to find that out.
            if share_a_clause(ma, mb) {
                if (ma.len() + mb.len()).pow(2) > 16 * EXACT_CELLS {
                    // Lopsided (a few clauses against thousands): Myers would take up
                    // to (a + b)² steps, the table a · b.
                    longest_common_by_table(ma, mb, ao, bo, out);
                } else {
                    for op in capture_diff_slices(Algorithm::Patience, ma, mb) {
                        if let DiffOp::Equal { old_index, new_index, len } = op {
                            out.extend((0..len).map(|k| (ao + old_index + k, bo + new_index + k)));
                        }
                    }
                }
            }
        } else if depth < 16 {
            // Anchors: clauses that occur once on each side, along the longest
            // run in which they keep their order.
            let mut seen: FxHashMap<u64, (u32, u32, usize, usize)> = FxHashMap::default();
            for (i, h) in ma.iter().enumerate() {
                let e = seen.entry(*h).or_insert((0, 0, i, 0));
                e.0 += 1;
            }
            for (j, h) in mb.iter().enumerate() {
                if let Some(e) = seen.get_mut(h) {
                    e.1 += 1;
                    e.3 = j;
                }
            }
            let mut unique: Vec<(usize, usize)> =
                seen.values().filter(|e| e.0 == 1 && e.1 == 1).map(|e| (e.2, e.3)).collect();
            unique.sort_unstable();
            // Without an anchor a level down would only meet the same stretch again:
            // a stretch small enough for the table keeps its longest common run (a
            // paragraph among thousands of clauses that repeat it), any other is all
            // changed.
            if unique.is_empty() {
                if ma.len() * mb.len() <= TABLE_CELLS && share_a_clause(ma, mb) {
                    longest_common_by_table(ma, mb, ao, bo, out);
                }
            } else {
                let anchors = longest_increasing(&unique);
                let (mut i, mut j) = (0, 0);
                for (ai, aj) in anchors.into_iter().chain([(ma.len(), mb.len())]) {
                    sequence_matches(&ma[i..ai], &mb[j..aj], ao + i, bo + j, depth + 1, out);
                    if ai < ma.len() {
                        out.push((ao + ai, bo + aj));
                    }
                    (i, j) = (ai + 1, aj + 1);
                }
            }
        }
    }
    let (sa, sb) = (ao + ma.len(), bo + mb.len());
    out.extend((0..suffix).map(|k| (sa + k, sb + k)));
}

/// Above this many cells (clauses of one side × the other) a stretch without an
/// anchor is not searched for its longest common run.
const TABLE_CELLS: usize = 1 << 22;

/// A longest common subsequence of `a` and `b` by the textbook table, in `a.len() ·
/// b.len()` steps whatever the shape (callers keep that product at most
/// [`TABLE_CELLS`], so a run never exceeds `u16`: the shorter side has at most 2,048).
fn longest_common_by_table(a: &[u64], b: &[u64], ao: usize, bo: usize, out: &mut Vec<(usize, usize)>) {
    let w = b.len() + 1;
    // run[i * w + j]: length of a longest common subsequence of a[i..] and b[j..].
    let mut run = vec![0u16; (a.len() + 1) * w];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            run[i * w + j] = if a[i] == b[j] {
                run[(i + 1) * w + j + 1] + 1
            } else {
                run[(i + 1) * w + j].max(run[i * w + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            out.push((ao + i, bo + j));
            (i, j) = (i + 1, j + 1);
        } else if run[(i + 1) * w + j] >= run[i * w + j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
}

/// Whether some clause of `a` is also in `b`.
fn share_a_clause(a: &[u64], b: &[u64]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let short: FxHashSet<u64> = short.iter().copied().collect();
    long.iter().any(|h| short.contains(h))
}

/// Pairs the clauses left over with the same key on both sides, anywhere, the
/// k-th with the k-th, as moves; returns the stretches without them.
fn pair_identical(
    c: &Clauses<'_>,
    hunks: Vec<(Vec<usize>, Vec<usize>)>,
    links: &mut Vec<Link>,
) -> Vec<(Vec<usize>, Vec<usize>)> {
    let mut by_hash: FxHashMap<u64, VecDeque<usize>> = FxHashMap::default();
    for (_, news) in &hunks {
        for &n in news {
            by_hash.entry(c.new_hashes[n]).or_default().push_back(n);
        }
    }
    let mut taken_old: rustc_hash::FxHashSet<usize> = Default::default();
    let mut taken_new: rustc_hash::FxHashSet<usize> = Default::default();
    for (olds, _) in &hunks {
        for &o in olds {
            if let Some(n) = by_hash.get_mut(&c.old_hashes[o]).and_then(VecDeque::pop_front) {
                taken_old.insert(o);
                taken_new.insert(n);
                links.push(Link::Moved { old: o, new: n });
            }
        }
    }
    if taken_old.is_empty() {
        return hunks;
    }
    hunks
        .into_iter()
        .map(|(mut olds, mut news)| {
            olds.retain(|o| !taken_old.contains(o));
            news.retain(|n| !taken_new.contains(n));
            (olds, news)
        })
        .collect()
}

/// The first cell of a table row's key (cells are joined by ` | `), with the
/// number of cells; `None` for other clauses.
fn row_label(key: &str) -> Option<(&str, usize)> {
    let (first, rest) = key.split_once(" | ")?;
    let cells = rest.matches(" | ").count() + 2;
    (!first.trim().is_empty()).then_some((first, cells))
}

/// Pairs the removed and added clauses of one changed stretch into rewordings;
/// what stays unpaired goes to the pools.
fn pair_hunk(
    c: &Clauses<'_>,
    olds: &[usize],
    news: &[usize],
    links: &mut Vec<Link>,
    removed: &mut Vec<usize>,
    added: &mut Vec<usize>,
) {
    if olds.is_empty() || news.is_empty() {
        removed.extend_from_slice(olds);
        added.extend_from_slice(news);
        return;
    }
    // One clause replaced by one at the same place is a rewording on less evidence.
    let threshold = if olds.len() == 1 && news.len() == 1 { REWORDED_IN_PLACE } else { REWORDED };
    let pairs = best_pairs(c, olds, news, &|_, _| threshold, true);
    let mut old_group: Vec<Option<usize>> = vec![None; olds.len()];
    let mut new_group: Vec<Option<usize>> = vec![None; news.len()];
    let mut groups: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
    for (i, j, _) in pairs {
        old_group[i] = Some(groups.len());
        new_group[j] = Some(groups.len());
        groups.push((vec![i], vec![j]));
    }
    // Splits and merges: take unpaired neighbours while they make the match better.
    for (g, group) in groups.iter_mut().enumerate() {
        loop {
            let (os, ns) = &*group;
            let old_bag = os.iter().fold(Vec::new(), |acc, &i| union(&acc, &c.old_bags[olds[i]]));
            let new_bag = ns.iter().fold(Vec::new(), |acc, &j| union(&acc, &c.new_bags[news[j]]));
            let current = dice(&old_bag, &new_bag);
            let mut best: Option<(f64, bool, usize)> = None;
            if os.len() == 1 {
                let (lo, hi) = (ns[0], ns[ns.len() - 1]);
                for j in [lo.wrapping_sub(1), hi + 1] {
                    if j < news.len() && new_group[j].is_none() {
                        let part = &c.new_bags[news[j]];
                        let s = dice(&old_bag, &union(&new_bag, part));
                        if extends(s, current, part, &old_bag) && best.is_none_or(|b| s > b.0) {
                            best = Some((s, false, j));
                        }
                    }
                }
            }
            if ns.len() == 1 {
                let (lo, hi) = (os[0], os[os.len() - 1]);
                for i in [lo.wrapping_sub(1), hi + 1] {
                    if i < olds.len() && old_group[i].is_none() {
                        let part = &c.old_bags[olds[i]];
                        let s = dice(&union(&old_bag, part), &new_bag);
                        if extends(s, current, part, &new_bag) && best.is_none_or(|b| s > b.0) {
                            best = Some((s, true, i));
                        }
                    }
                }
            }
            match best {
                Some((_, true, i)) => {
                    old_group[i] = Some(g);
                    let os = &mut group.0;
                    os.push(i);
                    os.sort_unstable();
                }
                Some((_, false, j)) => {
                    new_group[j] = Some(g);
                    let ns = &mut group.1;
                    ns.push(j);
                    ns.sort_unstable();
                }
                None => break,
            }
        }
    }
    for (os, ns) in groups {
        links.push(Link::Reworded {
            old: os.into_iter().map(|i| olds[i]).collect(),
            new: ns.into_iter().map(|j| news[j]).collect(),
        });
    }
    removed.extend(olds.iter().enumerate().filter(|(i, _)| old_group[*i].is_none()).map(|(_, &o)| o));
    added.extend(news.iter().enumerate().filter(|(j, _)| new_group[*j].is_none()).map(|(_, &n)| n));
}

/// Pairs clauses left over anywhere that are nearly identical (identical ones
/// paired before) as moves; within one region (where the sequence diff may have
/// put a rewording's two sides in two stretches around a repeated clause) the
/// rewording threshold applies.
fn pair_moves(
    c: &Clauses<'_>,
    left_old: Vec<usize>,
    left_new: Vec<usize>,
    same_region: &dyn Fn(usize, usize) -> bool,
    links: &mut Vec<Link>,
) {
    let threshold = |o: usize, n: usize| {
        if same_region(o, n) {
            REWORDED
        } else {
            move_threshold(&c.old_bags[o], &c.new_bags[n])
        }
    };
    let pairs = best_pairs(c, &left_old, &left_new, &threshold, false);
    let mut old_done = vec![false; left_old.len()];
    let mut new_done = vec![false; left_new.len()];
    for (i, j, _) in pairs {
        old_done[i] = true;
        new_done[j] = true;
        links.push(Link::Moved { old: left_old[i], new: left_new[j] });
    }
    links.extend(left_old.iter().zip(&old_done).filter(|(_, d)| !**d).map(|(&o, _)| Link::Removed(o)));
    links.extend(left_new.iter().zip(&new_done).filter(|(_, d)| !**d).map(|(&n, _)| Link::Added(n)));
}

/// Greedy one-to-one pairing by bag similarity ≥ `threshold(old, new)`, best first (ties to
/// the pair closest in relative position). Returns (old pos, new pos, score).
fn best_pairs<'a>(
    c: &Clauses<'a>,
    olds: &[usize],
    news: &[usize],
    threshold: &dyn Fn(usize, usize) -> f64,
    positional: bool,
) -> Vec<(usize, usize, f64)> {
    if olds.is_empty() || news.is_empty() {
        return Vec::new();
    }
    // Table row labels, read once per clause (not once per candidate pair).
    let labels = |idx: &[usize], keys: &[&'a str]| -> Vec<Option<(&'a str, usize)>> {
        if positional {
            idx.iter().map(|&k| row_label(keys[k])).collect()
        } else {
            Vec::new()
        }
    };
    let (old_labels, new_labels) = (labels(olds, &c.old_keys), labels(news, &c.new_keys));
    let mut scored: Vec<(f64, f64, usize, usize)> = Vec::new();
    let mut consider = |i: usize, j: usize| {
        let (o, n) = (olds[i], news[j]);
        if c.old_hashes[o] == c.new_hashes[n] {
            return; // identical keys are moves, found elsewhere
        }
        let (a, b) = (&c.old_bags[o], &c.new_bags[n]);
        // Table rows with the same label are the same row, whatever their figures.
        let same_row = positional && old_labels[i].is_some() && old_labels[i] == new_labels[j];
        // Dice can't reach the threshold when the sizes differ too much.
        let (la, lb) = (a.len() as f64, b.len() as f64);
        let threshold = threshold(o, n);
        if !same_row && 2.0 * la.min(lb) / (la + lb).max(1.0) < threshold {
            return;
        }
        let s = if same_row { 2.0 } else { dice(a, b) };
        // One shared word is no evidence that two clauses are one ("Parler Play" /
        // "Join Parler" among a menu's labels) unless it is the whole of one of them
        // ("Brazil 🇧🇷" / "Brazil") or they are alone at the same place.
        let alone = positional && olds.len() == 1 && news.len() == 1;
        if !same_row && !alone && s * (la + lb) < 3.5 && la.min(lb) > 1.5 {
            return;
        }
        if s >= threshold {
            let dist = if positional {
                (i as f64 / olds.len() as f64 - j as f64 / news.len() as f64).abs()
            } else {
                (o as f64 - n as f64).abs()
            };
            scored.push((s, dist, i, j));
        }
    };
    if olds.len() * news.len() <= 4096 {
        for i in 0..olds.len() {
            for j in 0..news.len() {
                consider(i, j);
            }
        }
    } else {
        // Candidates share a word that few clauses of the other side hold (or, within a
        // stretch, sit at about the same place). Each side proposes its own, so the pairs
        // found do not depend on which version is the old one (the mirror property).
        let old_bags: Vec<&[u32]> = olds.iter().map(|&o| c.old_bags[o].as_slice()).collect();
        let new_bags: Vec<&[u32]> = news.iter().map(|&n| c.new_bags[n].as_slice()).collect();
        let mut pairs = candidates(&old_bags, &new_bags, positional);
        pairs.extend(candidates(&new_bags, &old_bags, positional).into_iter().map(|(j, i)| (i, j)));
        pairs.sort_unstable();
        pairs.dedup();
        for (i, j) in pairs {
            consider(i as usize, j as usize);
        }
    }
    scored.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.total_cmp(&y.1)).then((x.2, x.3).cmp(&(y.2, y.3))));
    let mut old_used = vec![false; olds.len()];
    let mut new_used = vec![false; news.len()];
    let mut out = Vec::new();
    for (s, _, i, j) in scored {
        if !old_used[i]
            && !new_used[j]
            && (s > 1.0 || similarity(c.old_keys[olds[i]], c.new_keys[news[j]]) >= MIN_SHOWN)
        {
            old_used[i] = true;
            new_used[j] = true;
            out.push((i, j, s));
        }
    }
    out
}

/// Candidate pairs (from, to) for [`best_pairs`] on a large stretch: for each clause
/// of `from`, the 12 clauses of `to` sharing the most words that few of them hold
/// (and, `positional`, the clauses at about the same place).
fn candidates(from: &[&[u32]], to: &[&[u32]], positional: bool) -> Vec<(u32, u32)> {
    const LIMIT: usize = 64;
    const TAKE: usize = 12;
    let mut postings: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
    for (j, bag) in to.iter().enumerate() {
        for (k, &w) in bag.iter().enumerate() {
            if k == 0 || bag[k - 1] != w {
                postings.entry(w).or_default().push(j as u32);
            }
        }
    }
    let mut out = Vec::with_capacity(from.len() * TAKE);
    let mut counts: FxHashMap<u32, u32> = FxHashMap::default();
    for (i, bag) in from.iter().enumerate() {
        counts.clear();
        for (k, &w) in bag.iter().enumerate() {
            if k > 0 && bag[k - 1] == w {
                continue;
            }
            if let Some(p) = postings.get(&w).filter(|p| p.len() <= LIMIT) {
                for &j in p {
                    *counts.entry(j).or_default() += 1;
                }
            }
        }
        if positional {
            // The clauses at about the same place in the stretch.
            let at = i * to.len() / from.len();
            for j in at.saturating_sub(2)..(at + 3).min(to.len()) {
                *counts.entry(j as u32).or_default() += 1;
            }
        }
        let mut cands: Vec<(u32, u32)> = counts.iter().map(|(&j, &n)| (n, j)).collect();
        cands.sort_unstable_by(|x, y| y.cmp(x));
        out.extend(cands.iter().take(TAKE).map(|&(_, j)| (i as u32, j)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What the exact diff keeps of a small stretch: the common ends, and the
    /// Patience diff of the rest.
    fn exact(a: &[u64], b: &[u64]) -> Vec<(usize, usize)> {
        let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
        let suffix =
            a[prefix..].iter().rev().zip(b[prefix..].iter().rev()).take_while(|(x, y)| x == y).count();
        let mut out: Vec<(usize, usize)> = (0..prefix).map(|k| (k, k)).collect();
        let (ma, mb) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
        for op in capture_diff_slices(Algorithm::Patience, ma, mb) {
            if let DiffOp::Equal { old_index, new_index, len } = op {
                out.extend((0..len).map(|k| (prefix + old_index + k, prefix + new_index + k)));
            }
        }
        out.extend((0..suffix).map(|k| (a.len() - suffix + k, b.len() - suffix + k)));
        out
    }

    proptest! {
        // Two small alphabets, drawn from apart or together: stretches that share
        // no clause (skipped without the exact diff) and stretches that do.
        #[test]
        fn a_small_stretch_keeps_what_the_exact_diff_keeps(
            a in prop::collection::vec(0u64..12, 0..60),
            b in prop::collection::vec(0u64..12, 0..60),
            shift in prop::sample::select(vec![0u64, 6, 12]),
        ) {
            let b: Vec<u64> = b.iter().map(|x| x + shift).collect();
            let mut kept = Vec::new();
            sequence_matches(&a, &b, 0, 0, 0, &mut kept);
            prop_assert_eq!(kept, exact(&a, &b));
        }
    }

    #[test]
    fn a_large_stretch_without_an_anchor_is_all_changed_and_its_ends_kept() {
        // 300 × 300 cells is above EXACT_CELLS: anchors are looked for, and none is found.
        let a: Vec<u64> = (0..302).collect();
        let mut b: Vec<u64> = (1000..1302).collect();
        (b[0], b[301]) = (0, 301);
        let mut kept = Vec::new();
        sequence_matches(&a, &b, 0, 0, 0, &mut kept);
        assert_eq!(kept, [(0, 0), (301, 301)]);
        // Reversed, every clause is an anchor candidate and the longest run in order
        // is one clause; the stretches between share nothing.
        let reversed: Vec<u64> = a.iter().rev().copied().collect();
        let mut kept = Vec::new();
        sequence_matches(&a, &reversed, 0, 0, 0, &mut kept);
        assert_eq!(kept.len(), 1, "{kept:?}");
    }

    #[test]
    fn a_clause_among_thousands_that_repeat_it_is_kept_in_place() {
        // One clause against 20,000 holding two copies of it: no anchor is unique and
        // the exact diff would take (a + b)² steps; the table keeps the first copy.
        let mut b: Vec<u64> = (1000..21_000).collect();
        (b[7_000], b[14_000]) = (5, 5);
        let mut kept = Vec::new();
        sequence_matches(&[5], &b, 0, 0, 0, &mut kept);
        assert_eq!(kept, [(0, 7_000)]);
        // Three clauses against 20,000 (above the exact diff's cells, no anchor): the
        // longest common run is kept, in order.
        let a = [4, 5, 6];
        (b[3_000], b[16_000]) = (4, 6);
        let mut kept = Vec::new();
        sequence_matches(&a, &b, 0, 0, 0, &mut kept);
        assert_eq!(kept, [(0, 3_000), (1, 7_000), (2, 16_000)]);
    }

    proptest! {
        #[test]
        fn the_table_keeps_a_longest_common_run(
            a in prop::collection::vec(0u64..6, 0..40),
            b in prop::collection::vec(0u64..6, 0..40),
        ) {
            let mut kept = Vec::new();
            longest_common_by_table(&a, &b, 0, 0, &mut kept);
            prop_assert!(kept.iter().all(|&(i, j)| a[i] == b[j]));
            prop_assert!(kept.windows(2).all(|w| w[0].0 < w[1].0 && w[0].1 < w[1].1));
            // Its length is the longest: the classic recurrence, computed apart.
            let mut best = vec![vec![0usize; b.len() + 1]; a.len() + 1];
            for i in 1..=a.len() {
                for j in 1..=b.len() {
                    best[i][j] = if a[i - 1] == b[j - 1] {
                        best[i - 1][j - 1] + 1
                    } else {
                        best[i - 1][j].max(best[i][j - 1])
                    };
                }
            }
            prop_assert_eq!(kept.len(), best[a.len()][b.len()]);
        }
    }
}
