//! Headings inserted or deleted above text that stayed in place. A new section whose
//! text was already there, under an old section's heading, is that section **split**; an
//! old section whose heading was deleted, its text still in place under another heading,
//! is **merged** into that section. Either is one change of the section list, not a move
//! per clause: the clauses that stayed in reading order are not reported.
//!
//! Clause matching never keeps a clause in place across a heading (a clause that
//! crossed one pairs as a move), so the in-place clauses are found here: the
//! identical clauses (moved, or one copy of a repeated clause added or removed), one
//! side under an unpaired heading, that keep their reading order among all the
//! clauses identical on both sides. Only what every longest in-order run keeps
//! counts, so that the diff of the other direction, which may break a tie its own
//! way, finds the same.

use rustc_hash::FxHashMap;

use super::clauses::Link;
use super::sections::Alignment;
use super::Clause;

/// Above this many same-key pairs in one stretch (copies old × new) a clause is not
/// looked for in place.
const MAX_COPIES_PAIRS: usize = 4096;

/// The sections split and merged, and which clauses stayed in reading order.
pub(super) struct Splits {
    /// The links, with the copies of a repeated clause that stayed in place paired
    /// with each other (identical moves pair the k-th copy with the k-th).
    pub links: Vec<Link>,
    /// The section alignment, with the renames found here added (see [`find`]).
    pub alignment: Alignment,
    /// For each old clause: it is identical to the new clause it is linked to, and in
    /// the same reading order (an equal link, or a move kept in order).
    pub in_place: Vec<bool>,
    /// For each unpaired new section: the old section it was cut from.
    pub split_from: Vec<Option<usize>>,
    /// For each unpaired old section: the new section its text now reads in.
    pub merged_into: Vec<Option<usize>>,
}

/// The sections of each version for which the other side is looked up.
pub(super) struct Sides<'a> {
    /// Pseudo-headings (emphasised clauses): never split or merged.
    pub ghost_old: &'a [bool],
    pub ghost_new: &'a [bool],
    /// The section whose text each section is part of (itself, or for a
    /// pseudo-heading the section before it).
    pub old_home: &'a [usize],
    pub new_home: &'a [usize],
}

/// Finds the split and merged sections.
///
/// A new section without a counterpart that holds clauses in place is split from the
/// old section (as a reader would say: the section whose text it was) holding most of
/// them, ties to the first; an old section without a counterpart, merged into the new
/// section holding most of its clauses in place. The partner is chosen from the
/// unpaired section's side in both directions, so A → B's split is B → A's merge.
///
/// When an unpaired old section and an unpaired new section are each other's partner
/// and one holds nothing but the other's text in place (the heading replaced, sharing
/// no word, above the same text with more added or removed), they are one section
/// renamed: the pair is added to the alignment.
pub(super) fn find(
    oc: &[Clause],
    nc: &[Clause],
    alignment: &Alignment,
    links: Vec<Link>,
    sides: &Sides<'_>,
) -> Splits {
    let mut links = links;
    let in_place = in_order(oc, nc, alignment, sides, &mut links);
    let (old_count, new_count) = (alignment.old_to_new.len(), alignment.new_to_old.len());
    // Votes: the in-place clauses of each unpaired section, by the section they are in
    // on the other side.
    let mut split_votes: FxHashMap<usize, FxHashMap<usize, usize>> = FxHashMap::default();
    let mut merge_votes: FxHashMap<usize, FxHashMap<usize, usize>> = FxHashMap::default();
    for link in &links {
        let (o, n) = match *link {
            Link::Equal { old, new } | Link::Moved { old, new } if in_place[old] => (old, new),
            _ => continue,
        };
        let (os, ns) = (oc[o].section, nc[n].section);
        if alignment.new_to_old[ns].is_none() && !sides.ghost_new[ns] {
            *split_votes.entry(ns).or_default().entry(sides.old_home[os]).or_default() += 1;
        }
        if alignment.old_to_new[os].is_none() && !sides.ghost_old[os] {
            *merge_votes.entry(os).or_default().entry(sides.new_home[ns]).or_default() += 1;
        }
    }
    let partner = |votes: &FxHashMap<usize, usize>| {
        votes.iter().map(|(&s, &v)| (v, std::cmp::Reverse(s))).max().map(|(v, s)| (s.0, v))
    };
    let mut split_from = vec![None; new_count];
    let mut merged_into = vec![None; old_count];
    let mut split_kept = vec![0; new_count];
    for (&n, votes) in &split_votes {
        if let Some((o, v)) = partner(votes) {
            split_from[n] = Some(o);
            split_kept[n] = v;
        }
    }
    for (&o, votes) in &merge_votes {
        merged_into[o] = partner(votes).map(|(n, _)| n);
    }
    // Two unpaired sections, each the other's partner, one of them wholly the other's
    // text in place: a rename.
    let mut alignment = alignment.clone();
    let sizes = |cs: &[Clause], count: usize| {
        let mut v = vec![0usize; count];
        cs.iter().for_each(|c| v[c.section] += 1);
        v
    };
    let (old_size, new_size) = (sizes(oc, old_count), sizes(nc, new_count));
    for n in 0..new_count {
        let Some(o) = split_from[n] else { continue };
        let mutual = alignment.old_to_new[o].is_none() && merged_into[o] == Some(n);
        if mutual && (split_kept[n] == old_size[o] || split_kept[n] == new_size[n]) {
            alignment.old_to_new[o] = Some(n);
            alignment.new_to_old[n] = Some(o);
            split_from[n] = None;
            merged_into[o] = None;
        }
    }
    Splits { links, alignment, in_place, split_from, merged_into }
}

/// Marks the old clauses that stayed in reading order: equal links, and identical
/// clauses (moved, or one copy of a repeated clause added or removed) under an
/// unpaired heading on one side that every longest run of identical clauses kept in
/// order holds. A move of a repeated clause is re-paired with the copy in place.
fn in_order(
    oc: &[Clause],
    nc: &[Clause],
    alignment: &Alignment,
    sides: &Sides<'_>,
    links: &mut [Link],
) -> Vec<bool> {
    let mut in_place = vec![false; oc.len()];
    // The link of each clause that is, or may be, identical to one of the other side.
    let mut old_link: FxHashMap<usize, usize> = FxHashMap::default();
    let mut new_link: FxHashMap<usize, usize> = FxHashMap::default();
    let mut crossed = false;
    for (i, link) in links.iter().enumerate() {
        match *link {
            Link::Equal { old, new } => {
                in_place[old] = true;
                old_link.insert(old, i);
                new_link.insert(new, i);
            }
            Link::Moved { old, new } if oc[old].key == nc[new].key => {
                old_link.insert(old, i);
                new_link.insert(new, i);
                crossed = true;
            }
            Link::Removed(old) => {
                old_link.insert(old, i);
            }
            Link::Added(new) => {
                new_link.insert(new, i);
            }
            _ => {}
        }
    }
    if !crossed {
        return in_place;
    }
    // Every pair of an old and a new clause with the same key. Which links pair them
    // is left aside: the runs are the same whichever direction the diff is taken in.
    let mut by_key: FxHashMap<&str, (Vec<usize>, Vec<usize>)> = FxHashMap::default();
    for &o in old_link.keys() {
        by_key.entry(oc[o].key.as_str()).or_default().0.push(o);
    }
    for &n in new_link.keys() {
        if let Some(e) = by_key.get_mut(nc[n].key.as_str()) {
            e.1.push(n);
        }
    }
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for (olds, news) in by_key.values() {
        // A line repeated very often (a table's empty cell) is no evidence of place.
        if olds.len() * news.len() <= MAX_COPIES_PAIRS {
            pairs.extend(olds.iter().flat_map(|&o| news.iter().map(move |&n| (o, n))));
        }
    }
    // Only a clause that now reads under an unpaired heading, or that was under one,
    // can be quiet.
    let unpaired = |o: usize, n: usize| {
        let (os, ns) = (oc[o].section, nc[n].section);
        (alignment.old_to_new[os].is_none() && !sides.ghost_old[os])
            || (alignment.new_to_old[ns].is_none() && !sides.ghost_new[ns])
    };
    for (o, n) in in_every_longest_run(&mut pairs) {
        if !unpaired(o, n) {
            continue;
        }
        let (i, j) = (old_link[&o], new_link[&n]);
        // Every clause named here has the key of o: o takes n, and what o and n were
        // linked to take each other (or stay added or removed).
        match (&links[i], &links[j]) {
            (Link::Moved { .. }, _) if i == j => {}
            (&Link::Moved { new: n2, .. }, &Link::Moved { old: o2, .. }) => {
                links[i] = Link::Moved { old: o, new: n };
                links[j] = Link::Moved { old: o2, new: n2 };
                new_link.insert(n, i);
                new_link.insert(n2, j);
                old_link.insert(o2, j);
            }
            (&Link::Moved { new: n2, .. }, Link::Added(_)) => {
                links[i] = Link::Moved { old: o, new: n };
                links[j] = Link::Added(n2);
                new_link.insert(n, i);
                new_link.insert(n2, j);
            }
            (Link::Removed(_), &Link::Moved { old: o2, .. }) => {
                links[j] = Link::Moved { old: o, new: n };
                links[i] = Link::Removed(o2);
                old_link.insert(o, j);
                old_link.insert(o2, i);
            }
            _ => continue,
        }
        in_place[o] = true;
    }
    in_place
}

/// The pairs (old, new) that belong to every longest run of pairs increasing on both
/// sides. Which of two crossing pairs stays is a tie that the diff of the other
/// direction could break the other way: such a pair is in some longest run, not in
/// every one, and is left out, so both directions keep the same pairs.
fn in_every_longest_run(pairs: &mut [(usize, usize)]) -> Vec<(usize, usize)> {
    // Old ascending, new descending within one old clause: a run takes one of them.
    pairs.sort_unstable_by(|x, y| x.0.cmp(&y.0).then(y.1.cmp(&x.1)));
    // Length of the longest run ending at each pair, and starting at it.
    let runs = |values: &mut dyn Iterator<Item = i64>| {
        let mut tails: Vec<i64> = Vec::new();
        values
            .map(|v| {
                let at = tails.partition_point(|&t| t < v);
                if at == tails.len() {
                    tails.push(v);
                } else {
                    tails[at] = v;
                }
                at + 1
            })
            .collect::<Vec<usize>>()
    };
    let ending = runs(&mut pairs.iter().map(|p| p.1 as i64));
    let mut starting = runs(&mut pairs.iter().rev().map(|p| -(p.1 as i64)));
    starting.reverse();
    let longest = ending.iter().copied().max().unwrap_or(0);
    let on_some: Vec<bool> = (0..pairs.len()).map(|i| ending[i] + starting[i] - 1 == longest).collect();
    let mut at_length = vec![0usize; longest + 1];
    for i in (0..pairs.len()).filter(|&i| on_some[i]) {
        at_length[ending[i]] += 1;
    }
    (0..pairs.len()).filter(|&i| on_some[i] && at_length[ending[i]] == 1).map(|i| pairs[i]).collect()
}

#[cfg(test)]
mod tests {
    use super::in_every_longest_run;

    #[test]
    fn crossing_pairs_are_in_no_run_every_longest_one_holds() {
        // (0,1) and (1,0) cross: a tie, so neither; (2,2) is in both runs.
        assert_eq!(in_every_longest_run(&mut [(1, 0), (0, 1), (2, 2)]), [(2, 2)]);
        // One old clause, two copies of it: which one is a tie unless the order decides.
        assert_eq!(in_every_longest_run(&mut [(0, 0), (0, 2)]), []);
        assert_eq!(in_every_longest_run(&mut [(0, 0), (0, 2), (1, 1)]), [(0, 0), (1, 1)]);
        assert_eq!(in_every_longest_run(&mut [(0, 0), (1, 1), (2, 2)]), [(0, 0), (1, 1), (2, 2)]);
    }
}
