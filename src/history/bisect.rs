//! Bisection: find the steps of a history of N captures with K changes in about
//! K·log2(N) fetches. Between two fetched captures showing the same version, every
//! capture is assumed to show it too (a change and its revert inside such a stretch
//! go unseen: the report says which stretches were assumed).

use std::collections::BTreeMap;

use super::usable::{self, Neighbour, Unusable};
use super::{fingerprint, CaptureRef, History};
use crate::diff;
use crate::document::Document;

/// Captures between two fetched ones of the same version, not fetched.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Stretch {
    /// Labels (timestamps) of the two fetched ends.
    pub from: String,
    pub to: String,
    /// Captures between them, assumed to show the same version.
    pub captures: usize,
}

struct Prober<'a, F> {
    captures: &'a [CaptureRef],
    fetch: F,
    seen: BTreeMap<usize, Result<(Document, u64), Unusable>>,
}

impl<F: FnMut(usize) -> Result<Document, Unusable>> Prober<'_, F> {
    /// Fetches capture `i` once; true when it shows a policy (compared with the
    /// captures `neighbours`, already fetched).
    fn usable(&mut self, i: usize, neighbours: &[usize]) -> bool {
        if !self.seen.contains_key(&i) {
            let of = |n: Option<&usize>| {
                n.and_then(|n| self.seen.get(n)).and_then(|r| r.as_ref().ok()).map(|(d, _)| Neighbour::of(d))
            };
            let (before, after) = (of(neighbours.first()), of(neighbours.get(1)));
            let got = (self.fetch)(i)
                .and_then(|d| usable::check_alone(&d).map(|()| d))
                .and_then(|d| usable::check_against(&d, before, after).map(|()| d))
                .map(|d| {
                    let print = fingerprint(&d);
                    (d, print)
                });
            self.seen.insert(i, got);
        }
        self.seen.get(&i).is_some_and(Result::is_ok)
    }

    fn same(&self, a: usize, b: usize) -> bool {
        match (self.seen.get(&a), self.seen.get(&b)) {
            (Some(Ok((da, pa))), Some(Ok((db, pb)))) => pa == pb || diff::diff(da, db).is_empty(),
            _ => false,
        }
    }

    /// A usable capture strictly between `lo` and `hi`, the nearest to the middle.
    fn probe_between(&mut self, lo: usize, hi: usize) -> Option<usize> {
        let mid = lo + (hi - lo) / 2;
        let (mut below, mut above) = (mid, mid + 1);
        loop {
            let mut any = false;
            if below > lo {
                any = true;
                if self.usable(below, &[lo, hi]) {
                    return Some(below);
                }
                below -= 1;
            }
            if above < hi {
                any = true;
                if self.usable(above, &[lo, hi]) {
                    return Some(above);
                }
                above += 1;
            }
            if !any {
                return None;
            }
        }
    }
}

/// The history of `captures` (oldest first), fetching by bisection: `fetch(i)` gives
/// the Document of capture `i` (or why there is none). `fetched` counts the calls.
pub fn bisect(captures: &[CaptureRef], fetch: impl FnMut(usize) -> Result<Document, Unusable>) -> History {
    let n = captures.len();
    let mut prober = Prober { captures, fetch, seen: BTreeMap::new() };
    let first = (0..n).find(|&i| prober.usable(i, &[]));
    let last = first.and_then(|f| (f + 1..n).rev().find(|&i| prober.usable(i, &[f])));
    let mut assumed: BTreeMap<usize, usize> = BTreeMap::new();
    if let (Some(lo), Some(hi)) = (first, last) {
        let mut stack = vec![(lo, hi)];
        while let Some((lo, hi)) = stack.pop() {
            if hi <= lo + 1 {
                continue;
            }
            if prober.same(lo, hi) {
                assumed.insert(lo, hi);
                continue;
            }
            if let Some(mid) = prober.probe_between(lo, hi) {
                stack.push((mid, hi));
                stack.push((lo, mid));
            }
        }
    }
    let mut history = History { bisected: true, ..History::default() };
    let mut previous: Option<usize> = None;
    let seen = std::mem::take(&mut prober.seen);
    history.fetched = seen.len();
    for (i, got) in seen {
        let mut covers = 1;
        if let Some(p) = previous {
            if assumed.get(&p) == Some(&i) {
                covers = i - p;
                if i - p > 1 {
                    history.assumed_unchanged.push(Stretch {
                        from: prober.captures[p].label.clone(),
                        to: prober.captures[i].label.clone(),
                        captures: i - p - 1,
                    });
                }
            }
        }
        if got.is_ok() {
            previous = Some(i);
        }
        history.add(prober.captures[i].clone(), got.map(|(d, _)| d), covers);
    }
    history
}
