//! Word level: the word diff of a reworded clause, its similarity, and the cheap
//! bag-of-words measure used to pair candidate clauses.

use std::borrow::Cow;

use rustc_hash::FxHashMap;
use serde::Serialize;
use similar::{capture_diff_slices, Algorithm, DiffOp};

use super::segment::key;

/// One run of a word-level diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WordOp {
    pub op: WordOpKind,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WordOpKind {
    Equal,
    Delete,
    Insert,
}

/// Splits text into tokens: runs of letters/digits, runs of white space, and
/// single other characters. Concatenated they give the text back.
pub fn tokens(text: &str) -> Vec<&str> {
    #[derive(PartialEq, Clone, Copy)]
    enum Class {
        Word,
        Space,
        Other,
    }
    let class = |c: char| {
        if c.is_alphanumeric() {
            Class::Word
        } else if c.is_whitespace() {
            Class::Space
        } else {
            Class::Other
        }
    };
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev: Option<Class> = None;
    for (i, c) in text.char_indices() {
        let cl = class(c);
        if let Some(p) = prev {
            if p != cl || cl == Class::Other {
                out.push(&text[start..i]);
                start = i;
            }
        }
        prev = Some(cl);
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

fn is_word(token: &str) -> bool {
    token.chars().next().is_some_and(char::is_alphanumeric)
}

/// The token's comparison key: cosmetic differences (quote style, dash style) vanish.
/// A character the clause key drops (`*`, `_`, an invisible one) is compared as it
/// is: in a word diff it is text, and every diff must give both clauses back.
fn token_key(token: &str) -> Cow<'_, str> {
    // Most tokens are their own key (ASCII letters and digits, or one ASCII mark
    // the key keeps): no allocation for them; the diff of a long rewrite spends
    // most of its time here.
    let bytes = token.as_bytes();
    let plain = bytes.iter().all(u8::is_ascii_alphanumeric)
        || matches!(bytes, [b] if b.is_ascii_punctuation() && !matches!(b, b'`' | b'*' | b'_'));
    if plain {
        return Cow::Borrowed(token);
    }
    let k = key(token);
    if k.is_empty() {
        Cow::Borrowed(token)
    } else {
        Cow::Owned(k)
    }
}

fn is_space(token: &str) -> bool {
    token.chars().all(char::is_whitespace)
}

/// The word diff of two clauses and their similarity (matched words over all
/// words, Dice: 2·matched / (old + new)). Only words and punctuation are
/// compared (white space would otherwise match white space and hide the words
/// both sides share); white space goes with the stretch it sits in. The delete
/// and equal runs give the old clause back, the insert and equal runs the new
/// one, exactly.
pub fn word_diff<'a>(old: &'a str, new: &'a str) -> (Vec<WordOp>, f64) {
    let old_tokens = tokens(old);
    let new_tokens = tokens(new);
    // Words first (punctuation must never outweigh a shared word), then the
    // punctuation between two kept words.
    let pick = |tokens: &[&str], word: bool, from: usize, to: usize| -> Vec<usize> {
        (from..to).filter(|&i| !is_space(tokens[i]) && is_word(tokens[i]) == word).collect()
    };
    let lcs = |old_idx: &[usize], new_idx: &[usize], out: &mut Vec<(usize, usize)>| {
        let old_keys: Vec<Cow<str>> = old_idx.iter().map(|&i| token_key(old_tokens[i])).collect();
        let new_keys: Vec<Cow<str>> = new_idx.iter().map(|&i| token_key(new_tokens[i])).collect();
        for op in capture_diff_slices(Algorithm::Myers, &old_keys, &new_keys) {
            if let DiffOp::Equal { old_index, new_index, len } = op {
                out.extend((0..len).map(|k| (old_idx[old_index + k], new_idx[new_index + k])));
            }
        }
    };
    let mut word_anchors = Vec::new();
    let (old_words, new_words) =
        (pick(&old_tokens, true, 0, old_tokens.len()), pick(&new_tokens, true, 0, new_tokens.len()));
    lcs(&old_words, &new_words, &mut word_anchors);
    // The tokens both sides keep, as (old token, new token) positions.
    let mut anchors: Vec<(usize, usize)> = Vec::new();
    let (mut o, mut n) = (0, 0);
    for (ao, an) in word_anchors.iter().copied().chain([(old_tokens.len(), new_tokens.len())]) {
        lcs(&pick(&old_tokens, false, o, ao), &pick(&new_tokens, false, n, an), &mut anchors);
        if ao < old_tokens.len() {
            anchors.push((ao, an));
        }
        (o, n) = (ao + 1, an + 1);
    }
    let (matched, old_words, new_words) = (word_anchors.len(), old_words.len(), new_words.len());
    let mut runs: Vec<(WordOpKind, Vec<&'a str>)> = Vec::new();
    let mut push = |kind: WordOpKind, tokens: &[&'a str]| {
        for &token in tokens.iter().filter(|t| !t.is_empty()) {
            match runs.last_mut() {
                Some((k, v)) if *k == kind => v.push(token),
                _ => runs.push((kind, vec![token])),
            }
        }
    };
    let (mut o, mut n) = (0, 0);
    let ends =
        anchors.iter().map(|&(a, b)| (a, b, true)).chain([(old_tokens.len(), new_tokens.len(), false)]);
    for (ao, an, anchor) in ends {
        let (mut og, mut ng) = (&old_tokens[o..ao], &new_tokens[n..an]);
        // White space both sides have at the edges of a stretch stays equal.
        let lead = matches!((og.first(), ng.first()), (Some(a), Some(b)) if is_space(a) && a == b);
        if lead {
            push(WordOpKind::Equal, &ng[..1]);
            (og, ng) = (&og[1..], &ng[1..]);
        }
        let trail = matches!((og.last(), ng.last()), (Some(a), Some(b)) if is_space(a) && a == b);
        let tail = if trail { &ng[ng.len() - 1..] } else { &[][..] };
        if trail {
            (og, ng) = (&og[..og.len() - 1], &ng[..ng.len() - 1]);
        }
        push(WordOpKind::Delete, og);
        push(WordOpKind::Insert, ng);
        push(WordOpKind::Equal, tail);
        if anchor {
            // The same word in another quote or dash style is shown as written on
            // each side, so that both clauses rebuild exactly.
            if old_tokens[ao] == new_tokens[an] {
                push(WordOpKind::Equal, &new_tokens[an..an + 1]);
            } else {
                push(WordOpKind::Delete, &old_tokens[ao..ao + 1]);
                push(WordOpKind::Insert, &new_tokens[an..an + 1]);
            }
            (o, n) = (ao + 1, an + 1);
        }
    }
    let similarity =
        if old_words + new_words == 0 { 1.0 } else { 2.0 * matched as f64 / (old_words + new_words) as f64 };
    (tidy(runs), similarity)
}

/// The similarity [`word_diff`] reports, without building the diff.
pub fn similarity(old: &str, new: &str) -> f64 {
    fn words(text: &str) -> Vec<Cow<'_, str>> {
        tokens(text).into_iter().filter(|t| is_word(t)).map(token_key).collect()
    }
    let (a, b) = (words(old), words(new));
    let total = a.len() + b.len();
    if total == 0 {
        return 1.0;
    }
    let mut matched = 0;
    for op in capture_diff_slices(Algorithm::Myers, &a, &b) {
        if let DiffOp::Equal { len, .. } = op {
            matched += len;
        }
    }
    2.0 * matched as f64 / total as f64
}

/// Readable runs: white space (or one punctuation mark) alone between two changes joins them, so
/// "may share" → "will give" reads as one replacement, deletions before insertions.
fn tidy(runs: Vec<(WordOpKind, Vec<&str>)>) -> Vec<WordOp> {
    let runs: Vec<(WordOpKind, String)> = runs.into_iter().map(|(k, v)| (k, v.concat())).collect();
    let mut out: Vec<WordOp> = Vec::new();
    let mut i = 0;
    while i < runs.len() {
        if runs[i].0 == WordOpKind::Equal {
            out.push(WordOp { op: WordOpKind::Equal, text: runs[i].1.clone() });
            i += 1;
            continue;
        }
        // A stretch of changes, absorbing white-space-only equal runs between them.
        let (mut del, mut ins) = (String::new(), String::new());
        let mut j = i;
        while j < runs.len() {
            let (kind, text) = &runs[j];
            match kind {
                WordOpKind::Delete => del.push_str(text),
                WordOpKind::Insert => ins.push_str(text),
                WordOpKind::Equal => {
                    // White space, or one punctuation mark ("2024-12" → "2025-06").
                    let thin = text.chars().all(char::is_whitespace)
                        || text.chars().count() == 1 && !text.starts_with(char::is_alphanumeric);
                    let bridge = thin && runs.get(j + 1).is_some_and(|r| r.0 != WordOpKind::Equal);
                    if !bridge {
                        break;
                    }
                    del.push_str(text);
                    ins.push_str(text);
                }
            }
            j += 1;
        }
        if !del.is_empty() {
            out.push(WordOp { op: WordOpKind::Delete, text: del });
        }
        if !ins.is_empty() {
            out.push(WordOp { op: WordOpKind::Insert, text: ins });
        }
        i = j;
    }
    out
}

/// Interns lowercase words as ids, for bag-of-words comparisons.
#[derive(Default)]
pub struct Vocabulary {
    ids: FxHashMap<String, u32>,
    /// How many bags hold each word.
    pub df: Vec<u32>,
}

impl Vocabulary {
    /// The sorted multiset of word ids of a clause key (lowercase, plural `s` dropped).
    pub fn bag(&mut self, key: &str) -> Vec<u32> {
        let mut bag: Vec<u32> = Vec::new();
        for word in key.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
            let lower;
            let word = if word.chars().any(char::is_uppercase) {
                lower = word.to_lowercase();
                lower.as_str()
            } else {
                word
            };
            // A light stem: "year" and "years" are one word for similarity.
            let word = match word.strip_suffix('s') {
                Some(stem) if stem.len() >= 3 && !stem.ends_with('s') => stem,
                _ => word,
            };
            let id = match self.ids.get(word) {
                Some(&id) => id,
                None => {
                    let id = self.ids.len() as u32;
                    self.ids.insert(word.to_string(), id);
                    self.df.push(0);
                    id
                }
            };
            bag.push(id);
        }
        bag.sort_unstable();
        let mut distinct = bag.clone();
        distinct.dedup();
        for id in distinct {
            self.df[id as usize] += 1;
        }
        bag
    }
}

/// Dice coefficient of two sorted bags: 2·|a ∩ b| / (|a| + |b|).
pub fn dice<T: Ord>(a: &[T], b: &[T]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * common as f64 / (a.len() + b.len()) as f64
}

/// Merges two sorted bags (the bag of two clauses read as one).
pub fn union(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut v = Vec::with_capacity(a.len() + b.len());
    v.extend_from_slice(a);
    v.extend_from_slice(b);
    v.sort_unstable();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaced_word_is_one_delete_and_one_insert() {
        let (ops, sim) = word_diff("We may share data with partners.", "We will share data with partners.");
        let ops: Vec<(WordOpKind, &str)> = ops.iter().map(|o| (o.op, o.text.as_str())).collect();
        assert_eq!(
            ops,
            [
                (WordOpKind::Equal, "We "),
                (WordOpKind::Delete, "may"),
                (WordOpKind::Insert, "will"),
                (WordOpKind::Equal, " share data with partners."),
            ]
        );
        assert!((sim - 0.83).abs() < 0.01, "{sim}");
    }

    #[test]
    fn neighbouring_changes_read_as_one_replacement() {
        let (ops, _) = word_diff("We may share data.", "We will give data.");
        let texts: Vec<&str> = ops.iter().map(|o| o.text.as_str()).collect();
        assert_eq!(texts, ["We ", "may share", "will give", " data."]);
    }

    #[test]
    fn a_changed_date_reads_as_one_replacement() {
        let (ops, _) = word_diff("Updated 2024-12-16.", "Updated 2025-06-06.");
        let texts: Vec<&str> = ops.iter().map(|o| o.text.as_str()).collect();
        assert_eq!(texts, ["Updated ", "2024-12-16", "2025-06-06", "."]);
    }

    #[test]
    fn quote_style_keeps_the_similarity_and_shows_each_side_as_written() {
        let (old, new) = ("We don\u{2019}t sell.", "We don't sell.");
        let (ops, sim) = word_diff(old, new);
        assert_eq!(sim, 1.0);
        let side = |skip| ops.iter().filter(|o| o.op != skip).map(|o| o.text.as_str()).collect::<String>();
        assert_eq!((side(WordOpKind::Insert), side(WordOpKind::Delete)), (old.to_string(), new.to_string()));
    }

    #[test]
    fn a_token_s_key_is_the_clause_key_of_the_token() {
        let text = "We `quote` *stars* _under_ snake_case 2.5% don\u{2019}t \u{2014} \u{a0}caf\u{e9} \u{fb01}le a|b #1 ~x \\ (y).";
        let ascii: String = (0u8..128).map(char::from).collect();
        for token in tokens(text).into_iter().chain(tokens(&ascii)) {
            let k = key(token);
            let expected = if k.is_empty() { token.to_string() } else { k };
            assert_eq!(token_key(token), expected, "{token:?}");
        }
    }

    #[test]
    fn tokens_give_the_text_back() {
        let t = "Hello,  world — it's 2.5%!";
        assert_eq!(tokens(t).concat(), t);
    }

    #[test]
    fn shared_words_are_kept_whatever_the_white_space() {
        let (ops, sim) = word_diff(
            "As part of complying with these Terms, you must also follow our Community Guidelines.",
            "You must also follow our Community Guidelines and any other terms that apply to you.",
        );
        assert!(sim > 0.4, "{sim} {ops:?}");
        assert!(ops
            .iter()
            .any(|o| o.op == WordOpKind::Equal && o.text.contains("must also follow our Community")));
    }

    #[test]
    fn literal_underscores_and_stars_are_text() {
        let (old, new) = ("See /delete_account or 2*3.", "See /delete_account and 2*3.");
        let (ops, _) = word_diff(old, new);
        let side = |skip| ops.iter().filter(|o| o.op != skip).map(|o| o.text.as_str()).collect::<String>();
        assert_eq!(side(WordOpKind::Insert), old);
        assert_eq!(side(WordOpKind::Delete), new);
    }
}
