//! The differ's quadratic corners as generated document pairs, shared by
//! `benches/diff.rs` (`diff_scaling`) and `examples/diff_scaling.rs` (one diff,
//! timed in CPU and wall time).

use policydiff::normalize::normalize_markdown;
use policydiff::Document;

#[path = "../../tests/common/policy_words.rs"]
mod policy_words;
pub use policy_words::WORDS;

/// A deterministic pseudo-random stream.
pub struct Lcg(pub u64);
impl Lcg {
    pub fn next(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n.max(1) as u64) as usize
    }
}

/// A sentence of 9–24 policy words, the last one a numbered `clauseN`.
pub fn sentence(rng: &mut Lcg) -> String {
    let n = 8 + rng.next(16);
    let mut words: Vec<String> = (0..n).map(|_| WORDS[rng.next(WORDS.len())].to_string()).collect();
    words.push(format!("clause{}", rng.next(1_000_000)));
    let mut s = words.join(" ");
    s[..1].make_ascii_uppercase();
    s.push('.');
    s
}

/// The kinds of [`scaling_pair`] and the sizes each is measured at: ×4 a step, so
/// that each step's growth reads against n·log n (×4.6 from 10k to 40k, ×4.5 from
/// 40k to 160k).
pub const SIZES: [(&str, &[usize]); 4] = [
    ("rewritten", &[2_500, 10_000, 40_000, 160_000]),
    ("shuffled", &[2_500, 10_000, 40_000, 160_000]),
    ("headings", &[2_500, 10_000, 40_000, 160_000]),
    ("grown", &[2_500, 10_000, 40_000, 160_000]),
];

/// The corners where a differ turns quadratic, at growing sizes: one section of
/// `n` clauses every one of which is reworded (`rewritten`), the same section
/// with its clauses shuffled (`shuffled`), `n` sections whose headings all
/// changed (`headings`), and a section of three clauses grown to `n`, one of the
/// three repeated twice among them (`grown`: no anchor, a lopsided stretch).
pub fn scaling_pair(kind: &str, n: usize) -> (Document, Document) {
    let (old, new) = scaling_markdown(kind, n);
    (normalize_markdown(&old), normalize_markdown(&new))
}

/// The Markdown of [`scaling_pair`].
pub fn scaling_markdown(kind: &str, n: usize) -> (String, String) {
    let mut rng = Lcg(n as u64 + kind.len() as u64);
    let clauses: Vec<String> = (0..n).map(|_| sentence(&mut rng)).collect();
    let section = |cs: &[String]| format!("# Policy\n\n## Terms\n\n{}\n", cs.join("\n\n"));
    match kind {
        "rewritten" => {
            let reworded: Vec<String> = clauses.iter().map(|c| c.replacen(' ', " never ", 1)).collect();
            (section(&clauses), section(&reworded))
        }
        "shuffled" => {
            let mut shuffled = clauses.clone();
            for i in (1..n).rev() {
                shuffled.swap(i, rng.next(i + 1));
            }
            (section(&clauses), section(&shuffled))
        }
        "grown" => {
            let mut grown = clauses[3.min(n)..].to_vec();
            for at in [grown.len() / 3, 2 * grown.len() / 3] {
                grown.insert(at, clauses[1.min(n.saturating_sub(1))].clone());
            }
            (section(&clauses[..3.min(n)]), section(&grown))
        }
        _ => {
            let doc = |word: &str| {
                let mut md = String::from("# Policy\n\n");
                for (i, c) in clauses.iter().enumerate() {
                    md.push_str(&format!("## {word} {i} {}\n\n{c}\n\n", WORDS[i % WORDS.len()]));
                }
                md
            };
            (doc("Section"), doc("Part"))
        }
    }
}
