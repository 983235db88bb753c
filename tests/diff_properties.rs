//! Properties of the differ on generated policies: a document diffed with itself
//! is empty; the old words minus the words of every change's old side plus those
//! of its new side are the new words; cosmetic rewriting reports nothing; the diff
//! the other way round mirrors every change (added ↔ removed, sides swapped).

use policydiff::diff::{diff, segment, Change, DocumentDiff, SectionStatus};
use policydiff::normalize::normalize_markdown;
use proptest::prelude::*;

#[path = "common/policy_words.rs"]
mod policy_words;
use policy_words::WORDS;

/// A policy: sections of (heading, paragraphs of sentences of word indices, list items).
type Policy = Vec<(usize, Vec<Vec<Vec<usize>>>, Vec<Vec<usize>>)>;

fn policy() -> impl Strategy<Value = Policy> {
    let sentence = prop::collection::vec(0..WORDS.len(), 3..10);
    let paragraph = prop::collection::vec(sentence.clone(), 1..4);
    let section =
        (0..WORDS.len(), prop::collection::vec(paragraph, 0..3), prop::collection::vec(sentence, 0..3));
    prop::collection::vec(section, 1..6)
}

fn sentence_text(words: &[usize], quoted: Option<usize>) -> String {
    let mut s = String::new();
    for (i, &w) in words.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        let word = if i == 0 {
            let mut c = WORDS[w].chars();
            c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
        } else {
            WORDS[w].to_string()
        };
        if quoted == Some(i) && i > 0 {
            s.push_str(&format!("\"{word}\""));
        } else {
            s.push_str(&word);
        }
    }
    s.push('.');
    s
}

/// A tiny deterministic generator for the cosmetic choices.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
}

/// Markdown of the policy; with `cosmetic` it is re-wrapped, re-quoted, re-spaced,
/// re-bulleted and emphasised at random, none of which changes the policy.
fn render(p: &Policy, cosmetic: Option<u64>) -> String {
    let mut rng = Lcg(cosmetic.unwrap_or(0));
    let on = cosmetic.is_some();
    let mut md = String::from("# Privacy Policy\n\n");
    for (si, (heading, paragraphs, items)) in p.iter().enumerate() {
        md.push_str(&format!("## Section {si} {}\n\n", WORDS[*heading]));
        for para in paragraphs {
            let text: Vec<String> = para.iter().map(|s| sentence_text(s, Some(2))).collect();
            let mut text = text.join(" ");
            if on {
                text = cosmetics(&text, &mut rng);
            }
            md.push_str(&text);
            md.push_str("\n\n");
        }
        for item in items {
            let bullet = if on && rng.next(2) == 0 { "*" } else { "-" };
            let mut text = sentence_text(item, None);
            if on {
                text = cosmetics(&text, &mut rng).replace('\n', " ");
            }
            md.push_str(&format!("{bullet} {text}\n"));
        }
        md.push('\n');
    }
    md
}

fn cosmetics(text: &str, rng: &mut Lcg) -> String {
    let mut out = String::new();
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push_str(match rng.next(8) {
                0 => "\n",
                1 => "  ",
                2 => "\u{a0}",
                _ => " ",
            });
        }
        let plain = word.chars().all(char::is_alphabetic);
        match rng.next(10) {
            0 if i > 0 && plain => out.push_str(&format!("*{word}*")),
            1 if i > 0 && plain => out.push_str(&format!("**{word}**")),
            _ => out.push_str(word),
        }
    }
    if rng.next(2) == 0 {
        let mut open = true;
        out = out
            .chars()
            .map(|c| {
                if c == '"' {
                    open = !open;
                    if open {
                        '\u{201d}'
                    } else {
                        '\u{201c}'
                    }
                } else {
                    c
                }
            })
            .collect();
    }
    out
}

fn words(text: &str) -> Vec<String> {
    segment::key(text).split_whitespace().map(str::to_string).collect()
}

fn all_words(md: &str) -> Vec<String> {
    let doc = normalize_markdown(md);
    let mut v: Vec<String> = segment::clauses(&doc).iter().flat_map(|c| words(&c.text)).collect();
    v.sort();
    v
}

/// Removes each word of `take` from the sorted multiset `from`; false if one is missing.
fn subtract(from: &mut Vec<String>, take: &[String]) -> bool {
    for w in take {
        match from.binary_search(w) {
            Ok(i) => {
                from.remove(i);
            }
            Err(_) => return false,
        }
    }
    true
}

fn side(changes: &[Change], old: bool) -> Vec<String> {
    changes
        .iter()
        .filter_map(|c| if old { c.old.as_deref() } else { c.new.as_deref() })
        .flat_map(words)
        .collect()
}

fn run(old: &str, new: &str) -> DocumentDiff {
    diff(&normalize_markdown(old), &normalize_markdown(new))
}

#[derive(Debug, Clone)]
enum Edit {
    DeleteSentence(usize),
    InsertSentence(usize, Vec<usize>),
    ReplaceWord(usize, usize),
    MoveParagraph(usize, usize),
    RenameHeading(usize, usize),
    /// A heading inserted above a paragraph: it and what follows form a new section.
    InsertHeading(usize, usize),
    /// A section's heading deleted: its text joins the section before it.
    DeleteHeading(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        any::<usize>().prop_map(Edit::DeleteSentence),
        (any::<usize>(), prop::collection::vec(0..WORDS.len(), 3..10))
            .prop_map(|(i, s)| Edit::InsertSentence(i, s)),
        (any::<usize>(), 0..WORDS.len()).prop_map(|(i, w)| Edit::ReplaceWord(i, w)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::MoveParagraph(a, b)),
        (any::<usize>(), 0..WORDS.len()).prop_map(|(i, w)| Edit::RenameHeading(i, w)),
        (any::<usize>(), 0..WORDS.len()).prop_map(|(i, w)| Edit::InsertHeading(i, w)),
        any::<usize>().prop_map(Edit::DeleteHeading),
    ]
}

fn apply(p: &mut Policy, e: &Edit) {
    let n = p.len();
    let paras: Vec<(usize, usize)> =
        p.iter().enumerate().flat_map(|(s, sec)| (0..sec.1.len()).map(move |i| (s, i))).collect();
    match e {
        Edit::DeleteSentence(i) if !paras.is_empty() => {
            let (s, pi) = paras[i % paras.len()];
            let para = &mut p[s].1[pi];
            if para.len() > 1 {
                para.remove(i % para.len());
            }
        }
        Edit::InsertSentence(i, words) if !paras.is_empty() => {
            let (s, pi) = paras[i % paras.len()];
            let para = &mut p[s].1[pi];
            para.insert(i % (para.len() + 1), words.clone());
        }
        Edit::ReplaceWord(i, w) if !paras.is_empty() => {
            let (s, pi) = paras[i % paras.len()];
            let para = &mut p[s].1[pi];
            let k = i % para.len();
            let sentence = &mut para[k];
            let j = i % sentence.len();
            sentence[j] = *w;
        }
        Edit::MoveParagraph(a, b) if !paras.is_empty() => {
            let (s, pi) = paras[a % paras.len()];
            let para = p[s].1.remove(pi);
            p[b % n].1.push(para);
        }
        Edit::RenameHeading(i, w) => p[i % n].0 = *w,
        Edit::InsertHeading(i, w) if !paras.is_empty() => {
            let (s, pi) = paras[i % paras.len()];
            let tail = p[s].1.split_off(pi);
            let items = std::mem::take(&mut p[s].2);
            p.insert(s + 1, (*w, tail, items));
        }
        // Only where the text stays in reading order (items follow paragraphs).
        Edit::DeleteHeading(i) if n > 1 && p[1 + i % (n - 1) - 1].2.is_empty() => {
            let s = 1 + i % (n - 1);
            let (_, paragraphs, items) = p.remove(s);
            p[s - 1].1.extend(paragraphs);
            p[s - 1].2 = items;
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn a_document_diffed_with_itself_is_empty(p in policy()) {
        let md = render(&p, None);
        let d = run(&md, &md);
        prop_assert!(d.is_empty(), "{:#?}", d);
    }

    #[test]
    fn cosmetic_rewriting_reports_nothing(p in policy(), seed in any::<u64>()) {
        let plain = render(&p, None);
        let cosmetic = render(&p, Some(seed));
        let d = run(&plain, &cosmetic);
        prop_assert!(d.is_empty(), "{}\n---\n{}\n{:#?}", plain, cosmetic, d.changes);
    }

    #[test]
    fn old_minus_removed_plus_added_is_new(p in policy(), edits in prop::collection::vec(edit(), 1..5)) {
        let old = render(&p, None);
        let mut q = p.clone();
        for e in &edits {
            apply(&mut q, e);
        }
        let new = render(&q, None);
        let d = run(&old, &new);
        let mut words = all_words(&old);
        prop_assert!(subtract(&mut words, &side(&d.changes, true)), "an old side is not in the old version");
        words.extend(side(&d.changes, false));
        words.sort();
        prop_assert_eq!(words, all_words(&new), "{:#?}", d.changes);
        if old == new {
            prop_assert!(d.is_empty());
        }
    }
}

/// A change as the reverse diff should report it: kind mirrored, sides swapped.
fn mirrored(c: &Change) -> (String, Option<String>, Option<String>) {
    use policydiff::diff::ChangeKind::*;
    let kind = match c.kind {
        Added => Removed,
        Removed => Added,
        k => k,
    };
    (format!("{kind:?}"), c.new.clone(), c.old.clone())
}

fn as_reported(c: &Change) -> (String, Option<String>, Option<String>) {
    (format!("{:?}", c.kind), c.old.clone(), c.new.clone())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn diffing_the_other_way_mirrors_every_change(p in policy(), edits in prop::collection::vec(edit(), 1..5)) {
        let old = render(&p, None);
        let mut q = p.clone();
        for e in &edits {
            apply(&mut q, e);
        }
        let new = render(&q, None);
        // With a clause repeated, which copy stayed and which moved is a tie.
        let distinct = |md: &str| {
            let mut keys: Vec<String> = segment::clauses(&normalize_markdown(md)).into_iter().map(|c| c.key).collect();
            let n = keys.len();
            keys.sort();
            keys.dedup();
            keys.len() == n
        };
        prop_assume!(distinct(&old) && distinct(&new));
        let (forward, backward) = (run(&old, &new), run(&new, &old));
        // Which of two swapped clauses moved is a tie each direction may break its
        // own way: moves are compared by number, every other change one by one.
        let not_moved = |c: &&Change| c.kind != policydiff::diff::ChangeKind::Moved;
        prop_assert_eq!(forward.summary.moved, backward.summary.moved, "{}\n---\n{}", old, new);
        let mut there: Vec<_> = forward.changes.iter().filter(not_moved).map(mirrored).collect();
        let mut back: Vec<_> = backward.changes.iter().filter(not_moved).map(as_reported).collect();
        there.sort();
        back.sort();
        prop_assert_eq!(there, back, "{}\n---\n{}", old, new);
        let (f, b) = (forward.summary, backward.summary);
        prop_assert_eq!((f.sections_added, f.sections_removed, f.sections_renamed), (b.sections_removed, b.sections_added, b.sections_renamed));
        prop_assert_eq!((f.sections_split, f.sections_merged), (b.sections_merged, b.sections_split));
        // A → B's split section {old P, new N} is B → A's merged section {old N, new P}.
        let joined = |d: &DocumentDiff, flip: bool| {
            let mut v: Vec<_> = d
                .sections
                .iter()
                .filter_map(|s| {
                    let split = match s.status {
                        SectionStatus::Split => !flip,
                        SectionStatus::Merged => flip,
                        _ => return None,
                    };
                    let (o, n) = (s.old_path.clone(), s.new_path.clone());
                    Some(if flip { (split, n, o) } else { (split, o, n) })
                })
                .collect();
            v.sort();
            v
        };
        prop_assert_eq!(joined(&forward, false), joined(&backward, true), "{}\n---\n{}", old, new);
    }
}
