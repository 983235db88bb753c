//! Section alignment: which section of the old version is which of the new.
//!
//! Identical heading paths pair first, then identical headings, then headings at the
//! same place that keep the other's words and share a clause with it (a rename), then
//! what is left pairs by the similarity of headings and bodies, so a renamed section
//! (same body, other heading) and a section whose heading and body both changed a
//! little are still one section; last, a heading that keeps the other's words at the
//! same place is a rename whatever its body. A document without headings is one
//! untitled section, which pairs with the other's untitled section.

use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap, FxHashSet};

use super::clauses::sequence_matches;
use super::segment::{key, Clause};
use super::words::{dice, Vocabulary};
use crate::document::Document;

/// The pairing of sections, both ways.
#[derive(Debug, Clone, Default)]
pub struct Alignment {
    pub old_to_new: Vec<Option<usize>>,
    pub new_to_old: Vec<Option<usize>>,
}

/// Below this score two sections are not the same section.
const MIN_SCORE: f64 = 0.5;

/// Aligns the sections of two documents; `*_hashes` are the clause key hashes.
pub fn align(
    old: &Document,
    new: &Document,
    old_clauses: &[Clause],
    new_clauses: &[Clause],
    old_hashes: &[u64],
    new_hashes: &[u64],
) -> Alignment {
    let mut a =
        Alignment { old_to_new: vec![None; old.sections.len()], new_to_old: vec![None; new.sections.len()] };
    let heading_key = |h: &Option<String>| h.as_deref().map(key).unwrap_or_default();
    let old_heads: Vec<String> = old.sections.iter().map(|s| heading_key(&s.heading)).collect();
    let new_heads: Vec<String> = new.sections.iter().map(|s| heading_key(&s.heading)).collect();
    let path_key = |path: &[String], head: &str| {
        let mut k: Vec<String> = path.iter().take(path.len().saturating_sub(1)).map(|p| key(p)).collect();
        k.push(head.to_string());
        k.join("\u{1f}")
    };
    let old_paths: Vec<String> =
        old.sections.iter().zip(&old_heads).map(|(s, h)| path_key(&s.path, h)).collect();
    let new_paths: Vec<String> =
        new.sections.iter().zip(&new_heads).map(|(s, h)| path_key(&s.path, h)).collect();
    // Each section's clause hashes, sorted: repeated headings pair by their bodies.
    let bodies = |n: usize, clauses: &[Clause], hashes: &[u64]| {
        let mut v: Vec<Vec<u64>> = vec![Vec::new(); n];
        for (c, h) in clauses.iter().zip(hashes) {
            v[c.section].push(*h);
        }
        v.iter_mut().for_each(|b| b.sort_unstable());
        v
    };
    let bodies = (
        bodies(old.sections.len(), old_clauses, old_hashes),
        bodies(new.sections.len(), new_clauses, new_hashes),
    );
    pair_unchanged(&mut a, &old_paths, &new_paths, old_clauses, new_clauses, old_hashes, new_hashes);
    pair_identical(&mut a, &old_paths, &new_paths, &bodies);
    pair_identical(&mut a, &old_heads, &new_heads, &bodies);
    if a.old_to_new.iter().all(Option::is_some) || a.new_to_old.iter().all(Option::is_some) {
        return a;
    }
    // A heading that keeps the other's words at the same place, sharing a clause with it,
    // is that section renamed before any body comparison: a renamed section that took in
    // the text of the next one (whose heading was deleted) is the renamed one, though it
    // now holds more of the other's clauses.
    let lines: (FxHashSet<&str>, FxHashSet<&str>) = (
        old_clauses.iter().map(|c| c.key.as_str()).collect(),
        new_clauses.iter().map(|c| c.key.as_str()).collect(),
    );
    pair_renamed_in_place(&mut a, old, new, &old_heads, &new_heads, &lines, Some(&bodies));

    let old_left: Vec<usize> = (0..old.sections.len()).filter(|&i| a.old_to_new[i].is_none()).collect();
    let new_left: Vec<usize> = (0..new.sections.len()).filter(|&i| a.new_to_old[i].is_none()).collect();
    if old_left.is_empty() || new_left.is_empty() {
        return a;
    }
    // Bodies as bags of clause hashes and of words; headings as bags of words. Indexed
    // by section (empty for a paired one): read in section order, not hashed about.
    let mut vocab = Vocabulary::default();
    let body =
        |clauses: &[Clause], hashes: &[u64], count: usize, sections: &[usize], vocab: &mut Vocabulary| {
            let mut left = vec![false; count];
            sections.iter().for_each(|&s| left[s] = true);
            let (mut hash_bags, mut word_bags) = (vec![Vec::new(); count], vec![Vec::new(); count]);
            for (c, h) in clauses.iter().zip(hashes) {
                if left[c.section] {
                    hash_bags[c.section].push(*h);
                    word_bags[c.section].extend(vocab.bag(&c.key));
                }
            }
            hash_bags.iter_mut().for_each(|v: &mut Vec<u64>| v.sort_unstable());
            word_bags.iter_mut().for_each(|v: &mut Vec<u32>| v.sort_unstable());
            (hash_bags, word_bags)
        };
    let (old_hash_bags, old_word_bags) =
        body(old_clauses, old_hashes, old.sections.len(), &old_left, &mut vocab);
    let (new_hash_bags, new_word_bags) =
        body(new_clauses, new_hashes, new.sections.len(), &new_left, &mut vocab);
    let head_bags = |heads: &[String], sections: &[usize], vocab: &mut Vocabulary| {
        let mut bags = vec![Vec::new(); heads.len()];
        sections.iter().for_each(|&s| bags[s] = vocab.bag(&heads[s]));
        bags
    };
    let new_head_bags = head_bags(&new_heads, &new_left, &mut vocab);
    let old_head_bags = head_bags(&old_heads, &old_left, &mut vocab);
    let score = |o: usize, n: usize| {
        let (oh, ohb, owb) = (&old_head_bags[o], &old_hash_bags[o], &old_word_bags[o]);
        let (nh, nhb, nwb) = (&new_head_bags[n], &new_hash_bags[n], &new_word_bags[n]);
        let head = if oh.is_empty() || nh.is_empty() { 0.0 } else { dice(oh, nh) };
        if owb.is_empty() && nwb.is_empty() {
            head
        } else if owb.is_empty() || nwb.is_empty() {
            0.0
        } else {
            let clauses = dice(ohb, nhb);
            let words = dice(owb, nwb);
            clauses.max(0.5 * head + 0.5 * words).max(if words >= 0.75 { words } else { 0.0 })
        }
    };
    let mut candidates: Vec<(f64, usize, usize)> = Vec::new();
    let mut consider = |o: usize, n: usize| {
        let s = score(o, n);
        if s >= MIN_SCORE {
            candidates.push((s, o, n));
        }
    };
    if old_left.len() * new_left.len() <= 4096 {
        for &o in &old_left {
            for &n in &new_left {
                consider(o, n);
            }
        }
    } else {
        // Many unpaired sections: candidates share a clause, or a heading or body
        // word that few sections hold (never every section with every other).
        let mut postings: FxHashMap<(u8, u64), Vec<usize>> = FxHashMap::default();
        let mut post = |kind: u8, items: &mut dyn Iterator<Item = u64>, n: usize| {
            for item in items {
                let list = postings.entry((kind, item)).or_default();
                if list.last() != Some(&n) {
                    list.push(n);
                }
            }
        };
        for &n in &new_left {
            post(0, &mut new_hash_bags[n].iter().copied(), n);
            post(1, &mut new_word_bags[n].iter().map(|&w| u64::from(w)), n);
            post(2, &mut new_head_bags[n].iter().map(|&w| u64::from(w)), n);
        }
        const LIMIT: usize = 64;
        let mut counts: FxHashMap<usize, u32> = FxHashMap::default();
        for &o in &old_left {
            counts.clear();
            let keys = old_hash_bags[o]
                .iter()
                .map(|&h| (0u8, h))
                .chain(old_word_bags[o].iter().map(|&w| (1u8, u64::from(w))))
                .chain(old_head_bags[o].iter().map(|&w| (2u8, u64::from(w))));
            let mut last = None;
            for k in keys {
                if last == Some(k) {
                    continue;
                }
                last = Some(k);
                if let Some(list) = postings.get(&k).filter(|l| l.len() <= LIMIT) {
                    for &n in list {
                        *counts.entry(n).or_default() += 1;
                    }
                }
            }
            let mut best: Vec<(u32, usize)> = counts.iter().map(|(&n, &c)| (c, n)).collect();
            best.sort_unstable_by(|x, y| y.cmp(x));
            for &(_, n) in best.iter().take(16) {
                consider(o, n);
            }
        }
    }
    // Best first; ties go to the pair closest in position.
    let pos = |o: usize, n: usize| {
        (o as f64 / old.sections.len() as f64 - n as f64 / new.sections.len() as f64).abs()
    };
    candidates.sort_by(|x, y| y.0.total_cmp(&x.0).then(pos(x.1, x.2).total_cmp(&pos(y.1, y.2))));
    for (_, o, n) in candidates {
        if a.old_to_new[o].is_none() && a.new_to_old[n].is_none() {
            a.old_to_new[o] = Some(n);
            a.new_to_old[n] = Some(o);
        }
    }
    // What is left: a heading that keeps the other's words at the same place,
    // whatever its body (a section renamed and rewritten).
    pair_renamed_in_place(&mut a, old, new, &old_heads, &new_heads, &lines, None);
    a
}

/// Each section's clause hashes, sorted: old sections', new sections'.
type Bodies = (Vec<Vec<u64>>, Vec<Vec<u64>>);

/// Pairs an unpaired section with the unpaired section at the same place on the other
/// side (right after the pair of the section before it) when its heading keeps the
/// other's words (every word of the shorter one) at the same level; with `bodies`, only
/// when the two share a clause. An unpaired heading that is a line of the other version
/// (a plain or bold line written as a heading) takes no place: the place is looked for
/// past it.
fn pair_renamed_in_place(
    a: &mut Alignment,
    old: &Document,
    new: &Document,
    old_heads: &[String],
    new_heads: &[String],
    (old_lines, new_lines): &(FxHashSet<&str>, FxHashSet<&str>),
    bodies: Option<&Bodies>,
) {
    let mut vocab = Vocabulary::default();
    for (o, old_head) in old_heads.iter().enumerate() {
        if a.old_to_new[o].is_some() {
            continue;
        }
        let mut before = o.checked_sub(1);
        while let Some(p) =
            before.filter(|&p| a.old_to_new[p].is_none() && new_lines.contains(old_heads[p].as_str()))
        {
            before = p.checked_sub(1);
        }
        let mut n = match before {
            Some(p) => match a.old_to_new[p] {
                Some(np) => np + 1,
                None => continue,
            },
            None => 0,
        };
        while n < new.sections.len() && a.new_to_old[n].is_none() && old_lines.contains(new_heads[n].as_str())
        {
            n += 1;
        }
        if n >= new.sections.len() || a.new_to_old[n].is_some() {
            continue;
        }
        if bodies.is_some_and(|(ob, nb)| ob[o].is_empty() || nb[n].is_empty() || dice(&ob[o], &nb[n]) == 0.0)
        {
            continue;
        }
        let (oh, nh) = (vocab.bag(old_head), vocab.bag(&new_heads[n]));
        let shorter = oh.len().min(nh.len());
        let shared = dice(&oh, &nh) * (oh.len() + nh.len()) as f64 / 2.0;
        if shorter > 0 && shared >= shorter as f64 && old.sections[o].level == new.sections[n].level {
            a.old_to_new[o] = Some(n);
            a.new_to_old[n] = Some(o);
        }
    }
}

/// Pairs the sections that are unchanged (same heading path, same clauses in the same
/// order) along the longest run in which they keep their order (the differ's Patience
/// diff over whole sections). A page that shows a policy twice (the upcoming version
/// above the current one) thus pairs each section with its own copy, not with
/// whichever copy comes first.
fn pair_unchanged(
    a: &mut Alignment,
    old_paths: &[String],
    new_paths: &[String],
    old_clauses: &[Clause],
    new_clauses: &[Clause],
    old_hashes: &[u64],
    new_hashes: &[u64],
) {
    let signatures = |paths: &[String], clauses: &[Clause], hashes: &[u64]| {
        let mut hashers: Vec<rustc_hash::FxHasher> = paths
            .iter()
            .map(|p| {
                let mut h = rustc_hash::FxHasher::default();
                p.hash(&mut h);
                h
            })
            .collect();
        for (c, h) in clauses.iter().zip(hashes) {
            h.hash(&mut hashers[c.section]);
        }
        hashers.into_iter().map(|h| h.finish()).collect::<Vec<u64>>()
    };
    let old_sig = signatures(old_paths, old_clauses, old_hashes);
    let new_sig = signatures(new_paths, new_clauses, new_hashes);
    let mut kept = Vec::new();
    sequence_matches(&old_sig, &new_sig, 0, 0, 0, &mut kept);
    for (o, n) in kept {
        a.old_to_new[o] = Some(n);
        a.new_to_old[n] = Some(o);
    }
}

/// Pairs sections whose keys are equal. A key held by several sections on a side
/// pairs them by shared clauses first (a heading repeated above an empty section
/// must not take its namesake's body), then the k-th remaining with the k-th.
fn pair_identical(
    a: &mut Alignment,
    old_keys: &[String],
    new_keys: &[String],
    bodies: &(Vec<Vec<u64>>, Vec<Vec<u64>>),
) {
    let mut groups: FxHashMap<&str, (Vec<usize>, Vec<usize>)> = FxHashMap::default();
    for (i, k) in old_keys.iter().enumerate() {
        if a.old_to_new[i].is_none() {
            groups.entry(k.as_str()).or_default().0.push(i);
        }
    }
    for (n, k) in new_keys.iter().enumerate() {
        if a.new_to_old[n].is_none() {
            if let Some(g) = groups.get_mut(k.as_str()) {
                g.1.push(n);
            }
        }
    }
    let mut groups: Vec<(Vec<usize>, Vec<usize>)> =
        groups.into_values().filter(|g| !g.1.is_empty()).collect();
    groups.sort_unstable();
    for (olds, news) in groups {
        if (olds.len() > 1 || news.len() > 1) && olds.len() * news.len() <= 4096 {
            let mut scored: Vec<(f64, usize, usize)> = Vec::new();
            for &o in &olds {
                for &n in &news {
                    let (ob, nb) = (&bodies.0[o], &bodies.1[n]);
                    if !ob.is_empty() && !nb.is_empty() {
                        let s = dice(ob, nb);
                        if s > 0.0 {
                            scored.push((s, o, n));
                        }
                    }
                }
            }
            scored.sort_by(|x, y| y.0.total_cmp(&x.0).then((x.1, x.2).cmp(&(y.1, y.2))));
            for (_, o, n) in scored {
                if a.old_to_new[o].is_none() && a.new_to_old[n].is_none() {
                    a.old_to_new[o] = Some(n);
                    a.new_to_old[n] = Some(o);
                }
            }
        }
        let olds: Vec<usize> = olds.into_iter().filter(|&o| a.old_to_new[o].is_none()).collect();
        let news: Vec<usize> = news.into_iter().filter(|&n| a.new_to_old[n].is_none()).collect();
        for (o, n) in olds.into_iter().zip(news) {
            a.old_to_new[o] = Some(n);
            a.new_to_old[n] = Some(o);
        }
    }
}

/// New sections whose pairing breaks the old order: the pairs outside the longest
/// increasing run of old indices, read in new order.
pub fn moved(a: &Alignment) -> Vec<bool> {
    let pairs: Vec<(usize, usize)> =
        a.new_to_old.iter().enumerate().filter_map(|(n, o)| o.map(|o| (n, o))).collect();
    let mut moved = vec![false; a.new_to_old.len()];
    pairs.iter().for_each(|&(n, _)| moved[n] = true);
    longest_increasing(&pairs).into_iter().for_each(|(n, _)| moved[n] = false);
    moved
}

/// The longest run of `pairs` (sorted by their first) whose seconds increase.
pub(crate) fn longest_increasing(pairs: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut tails: Vec<usize> = Vec::new();
    let mut prev: Vec<Option<usize>> = vec![None; pairs.len()];
    for (i, &(_, y)) in pairs.iter().enumerate() {
        let pos = tails.partition_point(|&t| pairs[t].1 < y);
        if pos > 0 {
            prev[i] = Some(tails[pos - 1]);
        }
        if pos == tails.len() {
            tails.push(i);
        } else {
            tails[pos] = i;
        }
    }
    let mut out = Vec::with_capacity(tails.len());
    let mut cur = tails.last().copied();
    while let Some(i) = cur {
        out.push(pairs[i]);
        cur = prev[i];
    }
    out.reverse();
    out
}

/// Regions: each pair of aligned sections with the unpaired sections that follow
/// it on either side (a heading inserted or dropped inside a section must not
/// make its text look moved). Unpaired sections before the first pair form
/// region 0; the region of a pair is 1 + the new section's index.
/// Returns the region of every old and every new section.
pub fn regions(a: &Alignment) -> (Vec<usize>, Vec<usize>) {
    let mut new_region = vec![0; a.new_to_old.len()];
    let mut current = 0;
    for (n, o) in a.new_to_old.iter().enumerate() {
        if o.is_some() {
            current = n + 1;
        }
        new_region[n] = current;
    }
    let mut old_region = vec![0; a.old_to_new.len()];
    let mut current = 0;
    for (o, n) in a.old_to_new.iter().enumerate() {
        if let Some(n) = n {
            current = n + 1;
        }
        old_region[o] = current;
    }
    (old_region, new_region)
}
