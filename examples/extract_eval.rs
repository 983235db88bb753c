//! Extraction evaluation: how close the policy text an extractor takes out of an
//! archived page comes to Princeton's reference extraction of the same capture.
//!
//! ```text
//! cargo run --release --example extract_eval -- [DIR] [--json] [--show PAGE]
//! cargo run --release --features compare --example extract_eval -- [DIR] --extractor all
//! ```
//!
//! `DIR` (default `tests/fixtures/pages`) holds pairs `<page>.html` + `<page>.princeton.md`,
//! flat (`<domain>-<ts>.html`) or one folder per domain as in the shared corpus
//! (`<domain>/<ts>.html`). A reference without its `.html` beside it takes the capture
//! with its timestamp from the store `--pages` (default: the bundled `snapshots/`), which
//! is how the repository keeps each archived page once. Princeton's leading HTML comment
//! is stripped when present; the first line of the reference (the `> *The following text
//! is extracted …*` note) is dropped.
//!
//! Scores, per page:
//! - tokens: lowercase words, after folding curly quotes, dashes and no-break spaces;
//!   apostrophes are dropped (`don't` → `dont`), every other non-alphanumeric character
//!   separates words. Bag-of-words overlap: matched = Σ min(count ours, count ref);
//!   P = matched / ours, R = matched / ref.
//! - headings: the multiset of normalized heading texts (folded, lowercase, leading
//!   numbering such as `1.2`, `iv.`, `a)`, `Section 3` removed, punctuation removed,
//!   white space collapsed). Equal texts match first; then what is left is paired greedily
//!   by character similarity ≥ `--heading-fuzz` (default 0.9; 1 = exact only). A page where
//!   neither side has a heading scores 1.
//! - an extractor error scores 0 for that page.
//!
//! Text of a Document = its section headings and blocks (the page `<title>` is not text).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::sync::LazyLock;

use clap::{Parser, ValueEnum};
use policydiff::normalize::{normalize, normalize_markdown, InputKind, Options};
use policydiff::Document;
use regex::Regex;
use serde::Serialize;

#[derive(Parser, Debug)]
#[command(about = "Token and heading F1 of policy extraction against Princeton's reference texts")]
struct Args {
    /// Folder of `<page>.html` + `<page>.princeton.md` pairs (flat or one folder per domain).
    dir: Option<PathBuf>,
    /// Store to take a reference's page from when its `.html` is not beside it.
    #[arg(long, value_name = "STORE")]
    pages: Option<PathBuf>,
    /// Which extractor to evaluate (`dom_smoothie`, `rs-trafilatura` need `--features compare`).
    #[arg(long, value_enum, default_value_t = ExtractorArg::Policydiff)]
    extractor: ExtractorArg,
    /// Print the per-page results and the summary as JSON instead of tables.
    #[arg(long)]
    json: bool,
    /// Print the extracted Markdown and a token diff for one page (name or unique substring).
    #[arg(long, value_name = "PAGE")]
    show: Option<String>,
    /// Least character similarity (0–1) for two headings to match when not equal.
    #[arg(long, default_value_t = 0.9)]
    heading_fuzz: f64,
    /// Third-party extractors: also count a wholly bold block of ≤ 120 characters as a
    /// heading, as the reference reader does for Princeton's `**…**` lines.
    #[arg(long)]
    bold_headings: bool,
    /// Drop the reference's first line when it is Princeton's `# <page title>` heading
    /// (their extraction starts with the HTML `<title>`, which is rarely on the page).
    #[arg(long)]
    ref_without_title: bool,
}

static BROKEN_BOLD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\*\*([^*\n]+?)[ \t]*\n\*\*").expect("static regex"));

static OPENED_BOLD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^\*\*[ \t]*\n([^*\s][^*\n]*?)\*\*").expect("static regex"));

static EMPTY_BOLD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)[ \t]*\*\*[ \t\u{a0}]+\*\*[ \t]*$").expect("static regex"));

static SPACED_BOLD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)\*\*([^*\s][^*\n]*?)[ \t]+\*\*").expect("static regex"));

/// `--bold-headings`, read by the third-party adapters.
static BOLD_HEADINGS: AtomicBool = AtomicBool::new(false);
/// `--ref-without-title`, read by [`read_reference`].
static REF_WITHOUT_TITLE: AtomicBool = AtomicBool::new(false);

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ExtractorArg {
    Policydiff,
    #[value(name = "dom_smoothie", alias = "dom-smoothie")]
    DomSmoothie,
    #[value(name = "rs-trafilatura", alias = "rs_trafilatura")]
    RsTrafilatura,
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Extractor {
    Policydiff,
    DomSmoothie,
    RsTrafilatura,
}

impl Extractor {
    fn name(self) -> &'static str {
        match self {
            Extractor::Policydiff => "policydiff",
            Extractor::DomSmoothie => "dom_smoothie",
            Extractor::RsTrafilatura => "rs-trafilatura",
        }
    }

    fn extract(self, html: &[u8]) -> Result<Extracted, String> {
        // A third-party panic is that page's failure, not the whole run's.
        catch_unwind(AssertUnwindSafe(|| match self {
            Extractor::Policydiff => normalize(html, InputKind::Html, &Options::default())
                .map(|doc| Extracted::from_document(&doc))
                .map_err(|e| e.to_string()),
            Extractor::DomSmoothie => third_party::dom_smoothie(html),
            Extractor::RsTrafilatura => third_party::rs_trafilatura(html),
        }))
        .unwrap_or_else(|_| Err("panicked".to_string()))
    }
}

/// What an extractor produced: text units in reading order, headings, and a rendering.
#[derive(Debug, Default)]
struct Extracted {
    /// Headings and blocks, one string each (all of them count as text).
    texts: Vec<String>,
    headings: Vec<String>,
    markdown: String,
}

impl Extracted {
    fn from_document(doc: &Document) -> Self {
        let mut out = Extracted { markdown: doc.to_markdown(), ..Default::default() };
        // The title counts as rendered: `to_markdown` shows it as the first heading when
        // no section heading already does.
        if let Some(title) = &doc.title {
            if doc.sections.first().and_then(|s| s.heading.as_ref()) != Some(title) {
                out.texts.push(title.clone());
                out.headings.push(title.clone());
            }
        }
        for section in &doc.sections {
            if let Some(h) = &section.heading {
                out.texts.push(h.clone());
                out.headings.push(h.clone());
            }
            out.texts.extend(section.blocks.iter().map(|b| b.text().into_owned()));
        }
        out
    }

    fn bag(&self) -> Bag {
        let mut bag = Bag::new();
        for t in &self.texts {
            add_tokens(&mut bag, t);
        }
        bag
    }
}

/// One page with a reference.
struct Pair {
    name: String,
    html: PathBuf,
    reference: PathBuf,
}

#[derive(Debug, Serialize)]
struct PageResult {
    page: String,
    extractor: &'static str,
    error: Option<String>,
    tokens_ours: usize,
    tokens_ref: usize,
    tokens_matched: usize,
    precision: f64,
    recall: f64,
    f1: f64,
    headings_ours: usize,
    headings_ref: usize,
    headings_matched: usize,
    heading_precision: f64,
    heading_recall: f64,
    heading_f1: f64,
}

#[derive(Debug, Serialize)]
struct Summary {
    extractor: &'static str,
    pages: usize,
    errors: usize,
    /// Median of per-page token F1 (mean of the two middle values for an even count).
    median_token_f1: f64,
    /// Nearest-rank 10th percentile of per-page token F1: sorted ascending, the ⌈0.1·n⌉-th.
    p10_token_f1: f64,
    mean_token_f1: f64,
    /// Heading F1 from the heading counts summed over all pages.
    micro_heading_f1: f64,
    median_heading_f1: f64,
    mean_heading_f1: f64,
}

#[derive(Serialize)]
struct JsonOut<'a> {
    dir: String,
    heading_fuzz: f64,
    bold_headings: bool,
    ref_without_title: bool,
    pages: &'a [PageResult],
    summary: &'a [Summary],
}

fn main() -> ExitCode {
    let args = Args::parse();
    BOLD_HEADINGS.store(args.bold_headings, std::sync::atomic::Ordering::Relaxed);
    REF_WITHOUT_TITLE.store(args.ref_without_title, std::sync::atomic::Ordering::Relaxed);
    let dir = args
        .dir
        .clone()
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pages"));
    let store = args.pages.clone().unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots"));
    let pairs = match find_pairs(&dir, &store) {
        Ok(p) if !p.is_empty() => p,
        Ok(_) => {
            eprintln!("no <page>.html + <page>.princeton.md pairs in {}", dir.display());
            return ExitCode::FAILURE;
        }
        Err(e) => {
            eprintln!("cannot read {}: {e}", dir.display());
            return ExitCode::FAILURE;
        }
    };
    let extractors: Vec<Extractor> = match args.extractor {
        ExtractorArg::Policydiff => vec![Extractor::Policydiff],
        ExtractorArg::DomSmoothie => vec![Extractor::DomSmoothie],
        ExtractorArg::RsTrafilatura => vec![Extractor::RsTrafilatura],
        ExtractorArg::All => vec![Extractor::Policydiff, Extractor::DomSmoothie, Extractor::RsTrafilatura],
    };
    if !cfg!(feature = "compare") && extractors.iter().any(|e| *e != Extractor::Policydiff) {
        eprintln!("dom_smoothie and rs-trafilatura need the `compare` feature: cargo run --release --features compare --example extract_eval -- ...");
        return ExitCode::FAILURE;
    }

    if let Some(page) = &args.show {
        let matching: Vec<&Pair> = pairs
            .iter()
            .filter(|p| p.name == *page)
            .chain(pairs.iter().filter(|p| p.name != *page && p.name.contains(page.as_str())))
            .collect();
        let pair = match matching.as_slice() {
            [] => {
                eprintln!("no page matches '{page}'; pages: {}", names(&pairs));
                return ExitCode::FAILURE;
            }
            [one, ..] if one.name == *page => *one,
            [one] => *one,
            many => {
                eprintln!("'{page}' matches several pages: {}", names_of(many));
                return ExitCode::FAILURE;
            }
        };
        for extractor in extractors {
            if let Err(e) = show(pair, extractor, args.heading_fuzz) {
                eprintln!("{}: {e}", pair.name);
                return ExitCode::FAILURE;
            }
        }
        return ExitCode::SUCCESS;
    }

    let mut results = Vec::new();
    let mut summaries = Vec::new();
    for extractor in extractors {
        let mut page_results = Vec::new();
        for pair in &pairs {
            match evaluate(pair, extractor, args.heading_fuzz) {
                Ok(r) => page_results.push(r),
                Err(e) => {
                    eprintln!("{}: {e}", pair.name);
                    return ExitCode::FAILURE;
                }
            }
        }
        summaries.push(summarize(extractor, &page_results));
        if !args.json {
            print_table(&page_results);
            print_summary(summaries.last().expect("just pushed"));
            println!();
        }
        results.extend(page_results);
    }
    if args.json {
        let out = JsonOut {
            dir: dir.display().to_string(),
            heading_fuzz: args.heading_fuzz,
            bold_headings: args.bold_headings,
            ref_without_title: args.ref_without_title,
            pages: &results,
            summary: &summaries,
        };
        match serde_json::to_string_pretty(&out) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("cannot write JSON: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else if summaries.len() > 1 {
        println!(
            "{:<16} {:>5} {:>6} {:>9} {:>7} {:>11} {:>12}",
            "extractor", "pages", "errors", "median F1", "p10 F1", "heading F1", "median hF1"
        );
        for s in &summaries {
            println!(
                "{:<16} {:>5} {:>6} {:>9.3} {:>7.3} {:>11.3} {:>12.3}",
                s.extractor,
                s.pages,
                s.errors,
                s.median_token_f1,
                s.p10_token_f1,
                s.micro_heading_f1,
                s.median_heading_f1
            );
        }
    }
    ExitCode::SUCCESS
}

fn names(pairs: &[Pair]) -> String {
    pairs.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ")
}

fn names_of(pairs: &[&Pair]) -> String {
    pairs.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ")
}

/// Pairs in `dir` itself (`<page>.princeton.md`) and one level down (`<domain>/<ts>.princeton.md`).
fn find_pairs(dir: &Path, store: &Path) -> std::io::Result<Vec<Pair>> {
    // Captures of the store by timestamp, for references whose page is not beside them.
    let stored: HashMap<String, PathBuf> = if store.is_dir() {
        policydiff::store::Store::new(store)
            .all_captures()
            .map_err(|e| std::io::Error::other(e.to_string()))?
            .into_iter()
            .map(|c| (c.meta.timestamp, c.html))
            .collect()
    } else {
        HashMap::new()
    };
    let mut pairs = Vec::new();
    let mut visit = |folder: &Path, prefix: Option<&str>| -> std::io::Result<()> {
        for entry in std::fs::read_dir(folder)? {
            let path = entry?.path();
            let Some(file) = path.file_name().and_then(|f| f.to_str()) else { continue };
            let Some(stem) = file.strip_suffix(".princeton.md") else { continue };
            let beside = folder.join(format!("{stem}.html"));
            let timestamp = stem.rsplit('-').next().unwrap_or(stem);
            let html = if beside.is_file() { Some(beside) } else { stored.get(timestamp).cloned() };
            if let Some(html) = html {
                let name = prefix.map_or_else(|| stem.to_string(), |p| format!("{p}-{stem}"));
                pairs.push(Pair { name, html, reference: path.clone() });
            }
        }
        Ok(())
    };
    visit(dir, None)?;
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            let prefix = path.file_name().and_then(|f| f.to_str()).unwrap_or_default().to_string();
            visit(&path, Some(&prefix))?;
        }
    }
    pairs.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(pairs)
}

/// The page bytes without Princeton's leading `<!--The following is the downloaded …-->`.
fn read_html(path: &Path) -> std::io::Result<Vec<u8>> {
    let bytes = std::fs::read(path)?;
    const MARK: &[u8] = b"<!--The following is the downloaded HTML source";
    if bytes.starts_with(MARK) {
        if let Some(end) = bytes.windows(3).position(|w| w == b"-->") {
            let rest = &bytes[end + 3..];
            let start = rest.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(rest.len());
            return Ok(rest[start..].to_vec());
        }
    }
    Ok(bytes)
}

/// The reference text read as Markdown, without Princeton's first-line note.
fn read_reference(path: &Path) -> std::io::Result<Extracted> {
    let text = std::fs::read_to_string(path)?;
    let body = match text.split_once('\n') {
        Some((first, rest)) if first.starts_with("> *The following text is extracted") => rest,
        _ => text.as_str(),
    };
    let body = if REF_WITHOUT_TITLE.load(std::sync::atomic::Ordering::Relaxed) {
        let trimmed = body.trim_start_matches(['\n', '\r']);
        match trimmed.split_once('\n') {
            Some((first, rest)) if first == "#" || first.starts_with("# ") => rest,
            None if trimmed.starts_with("# ") => "",
            _ => body,
        }
    } else {
        body
    };
    let body = repair_html2text_bold(body);
    Ok(Extracted::from_document(&normalize_markdown(&body)))
}

/// Puts back the bold markup html2text breaks around `<br>`, so the reference reader sees
/// the bold headings the page has.
fn repair_html2text_bold(body: &str) -> String {
    // `<strong>Heading<br></strong>` comes out as `**Heading  \n**`, which no Markdown
    // reader takes for bold; put the closing `**` back where it belongs.
    let body = BROKEN_BOLD.replace_all(body, "**$1**\n\n");
    // `<strong><br>Heading</strong>` comes out as `**  \nHeading**`.
    let body = OPENED_BOLD.replace_all(&body, "**$1**");
    // `<strong>Heading</strong><strong>&nbsp;</strong>` as `**Heading** ** **`.
    let body = EMPTY_BOLD.replace_all(&body, "");
    // `**Heading **`: a space before the closing `**` stops it closing.
    SPACED_BOLD.replace_all(&body, "**$1**").into_owned()
}

fn evaluate(pair: &Pair, extractor: Extractor, fuzz: f64) -> std::io::Result<PageResult> {
    let html = read_html(&pair.html)?;
    let reference = read_reference(&pair.reference)?;
    let ref_bag = reference.bag();
    let ref_tokens: usize = ref_bag.values().sum();
    let ref_headings = heading_keys(&reference.headings);
    let mut r = PageResult {
        page: pair.name.clone(),
        extractor: extractor.name(),
        error: None,
        tokens_ours: 0,
        tokens_ref: ref_tokens,
        tokens_matched: 0,
        precision: 0.0,
        recall: 0.0,
        f1: 0.0,
        headings_ours: 0,
        headings_ref: ref_headings.len(),
        headings_matched: 0,
        heading_precision: 0.0,
        heading_recall: 0.0,
        heading_f1: 0.0,
    };
    match extractor.extract(&html) {
        Err(e) => r.error = Some(e),
        Ok(ours) => {
            let bag = ours.bag();
            r.tokens_ours = bag.values().sum();
            r.tokens_matched = overlap(&bag, &ref_bag);
            (r.precision, r.recall, r.f1) = prf(r.tokens_matched, r.tokens_ours, r.tokens_ref);
            let our_headings = heading_keys(&ours.headings);
            r.headings_ours = our_headings.len();
            r.headings_matched = match_headings(&our_headings, &ref_headings, fuzz).matched.len();
            (r.heading_precision, r.heading_recall, r.heading_f1) =
                prf(r.headings_matched, r.headings_ours, r.headings_ref);
        }
    }
    Ok(r)
}

// ---------------------------------------------------------------- scoring

type Bag = HashMap<String, usize>;

/// Folds the typographic variants the evaluation should not count as differences.
fn fold(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{00B4}' | '`' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}' | '\u{00BB}' => '"',
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => '-',
        '\u{00A0}' | '\u{202F}' | '\u{2007}' => ' ',
        c => c,
    }
}

/// Lowercase words: apostrophes dropped, any other non-alphanumeric character separates.
fn tokens(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in s.chars().map(fold) {
        if c == '\'' || policydiff::normalize::text::is_invisible(c) {
            continue;
        }
        if c.is_alphanumeric() {
            cur.extend(c.to_lowercase());
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn add_tokens(bag: &mut Bag, s: &str) {
    for t in tokens(s) {
        *bag.entry(t).or_insert(0) += 1;
    }
}

fn overlap(a: &Bag, b: &Bag) -> usize {
    a.iter().map(|(k, n)| (*n).min(b.get(k).copied().unwrap_or(0))).sum()
}

/// Precision, recall, F1; nothing on both sides is a perfect score.
fn prf(matched: usize, ours: usize, reference: usize) -> (f64, f64, f64) {
    if ours == 0 && reference == 0 {
        return (1.0, 1.0, 1.0);
    }
    let p = if ours == 0 { 0.0 } else { matched as f64 / ours as f64 };
    let r = if reference == 0 { 0.0 } else { matched as f64 / reference as f64 };
    let f = if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) };
    (p, r, f)
}

static NUMBERING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?:(?:section|article|part|chapter|clause)\s+)?(?:\d+(?:\.\d+)*[.):]?|[ivxlc]{1,6}[.):]|[a-z][.)]|\(\w{1,4}\))(?:\s+|$)",
    )
    .expect("static regex")
});

/// A heading as compared: folded, lowercase, numbering and punctuation removed.
fn heading_key(h: &str) -> String {
    let folded: String = h.chars().map(fold).collect::<String>().to_lowercase();
    let mut s = folded.trim().to_string();
    // Numbering may be nested ("1. a) …"); strip it a few times at most.
    for _ in 0..3 {
        let next = NUMBERING.replace(&s, "").into_owned();
        if next == s {
            break;
        }
        s = next;
    }
    tokens(&s).join(" ")
}

fn heading_keys(headings: &[String]) -> Vec<String> {
    headings.iter().map(|h| heading_key(h)).filter(|k| !k.is_empty()).collect()
}

struct HeadingMatch {
    /// (ours, reference) pairs.
    matched: Vec<(String, String)>,
    only_ours: Vec<String>,
    only_ref: Vec<String>,
}

/// Equal keys match first; the rest greedily by similarity ≥ `fuzz`, best pair first.
fn match_headings(ours: &[String], reference: &[String], fuzz: f64) -> HeadingMatch {
    let mut ref_left: Vec<Option<&String>> = reference.iter().map(Some).collect();
    let mut matched = Vec::new();
    let mut ours_left = Vec::new();
    for h in ours {
        match ref_left.iter().position(|r| *r == Some(h)) {
            Some(i) => {
                ref_left[i] = None;
                matched.push((h.clone(), h.clone()));
            }
            None => ours_left.push(h),
        }
    }
    let mut candidates = Vec::new();
    if fuzz < 1.0 {
        for (i, h) in ours_left.iter().enumerate() {
            for (j, r) in ref_left.iter().enumerate() {
                if let Some(r) = r {
                    let ratio = f64::from(similar::TextDiff::from_chars(h.as_str(), r.as_str()).ratio());
                    if ratio >= fuzz {
                        candidates.push((ratio, i, j));
                    }
                }
            }
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut ours_used = vec![false; ours_left.len()];
    for (_, i, j) in candidates {
        if !ours_used[i] {
            if let Some(r) = ref_left[j].take() {
                ours_used[i] = true;
                matched.push((ours_left[i].clone(), r.clone()));
            }
        }
    }
    // Princeton's first heading is the page `<title>`, which usually carries the site's
    // name too (`Privacy Policy / Nakido`): it matches a heading of ours of two or more
    // words that it contains, or that contains it.
    if let Some(Some(title)) = ref_left.first().cloned() {
        let contains = |a: &str, b: &str| format!(" {a} ").contains(&format!(" {b} "));
        if let Some(i) = (0..ours_left.len()).find(|&i| {
            let h = ours_left[i].as_str();
            !ours_used[i]
                && h.split_whitespace().count().min(title.split_whitespace().count()) >= 2
                && (contains(title, h) || contains(h, title))
        }) {
            ours_used[i] = true;
            ref_left[0] = None;
            matched.push((ours_left[i].clone(), title.clone()));
        }
    }
    let only_ours =
        ours_left.iter().zip(&ours_used).filter(|(_, u)| !**u).map(|(h, _)| (*h).clone()).collect();
    let only_ref = ref_left.into_iter().flatten().cloned().collect();
    HeadingMatch { matched, only_ours, only_ref }
}

fn median(sorted: &[f64]) -> f64 {
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// Nearest rank: the ⌈p·n⌉-th smallest value.
fn percentile_nearest_rank(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn mean(v: &[f64]) -> f64 {
    if v.is_empty() {
        0.0
    } else {
        v.iter().sum::<f64>() / v.len() as f64
    }
}

fn summarize(extractor: Extractor, results: &[PageResult]) -> Summary {
    let mut f1: Vec<f64> = results.iter().map(|r| r.f1).collect();
    f1.sort_by(f64::total_cmp);
    let mut hf1: Vec<f64> = results.iter().map(|r| r.heading_f1).collect();
    hf1.sort_by(f64::total_cmp);
    let (m, o, g) = results
        .iter()
        .fold((0, 0, 0), |(m, o, g), r| (m + r.headings_matched, o + r.headings_ours, g + r.headings_ref));
    Summary {
        extractor: extractor.name(),
        pages: results.len(),
        errors: results.iter().filter(|r| r.error.is_some()).count(),
        median_token_f1: median(&f1),
        p10_token_f1: percentile_nearest_rank(&f1, 0.10),
        mean_token_f1: mean(&f1),
        micro_heading_f1: prf(m, o, g).2,
        median_heading_f1: median(&hf1),
        mean_heading_f1: mean(&hf1),
    }
}

// ---------------------------------------------------------------- output

fn print_table(results: &[PageResult]) {
    let Some(first) = results.first() else { return };
    println!("extractor: {}", first.extractor);
    println!(
        "{:<34} {:>6} {:>6} {:>6} {:>6} {:>6}  {:>7} {:>6} {:>6} {:>6}  note",
        "page", "ours", "ref", "P", "R", "F1", "h o/r", "hP", "hR", "hF1"
    );
    for r in results {
        let hcount = format!("{}/{}", r.headings_ours, r.headings_ref);
        let note = r.error.as_deref().map_or(String::new(), |e| format!("ERROR: {e}"));
        println!(
            "{:<34} {:>6} {:>6} {:>6.3} {:>6.3} {:>6.3}  {:>7} {:>6.3} {:>6.3} {:>6.3}  {note}",
            r.page,
            r.tokens_ours,
            r.tokens_ref,
            r.precision,
            r.recall,
            r.f1,
            hcount,
            r.heading_precision,
            r.heading_recall,
            r.heading_f1
        );
    }
}

fn print_summary(s: &Summary) {
    println!(
        "{}: {} pages, {} errors | token F1 median {:.3}, p10 {:.3} (nearest rank), mean {:.3} | heading F1 micro {:.3}, per-page median {:.3}, mean {:.3}",
        s.extractor,
        s.pages,
        s.errors,
        s.median_token_f1,
        s.p10_token_f1,
        s.mean_token_f1,
        s.micro_heading_f1,
        s.median_heading_f1,
        s.mean_heading_f1
    );
}

/// The tuning view of one page.
fn show(pair: &Pair, extractor: Extractor, fuzz: f64) -> std::io::Result<()> {
    let html = read_html(&pair.html)?;
    let reference = read_reference(&pair.reference)?;
    let result = evaluate(pair, extractor, fuzz)?;
    let mut out = String::new();
    let _ = writeln!(out, "=== {} — {} ===", pair.name, extractor.name());
    let _ = writeln!(out, "html:      {}", pair.html.display());
    let _ = writeln!(out, "reference: {}", pair.reference.display());
    let ours = match extractor.extract(&html) {
        Ok(ours) => ours,
        Err(e) => {
            let _ = writeln!(out, "\nERROR: {e}\n\nreference headings:");
            for h in &reference.headings {
                let _ = writeln!(out, "  {h}");
            }
            print!("{out}");
            return Ok(());
        }
    };
    let _ = writeln!(out, "\n--- extracted Markdown ---\n{}\n--- end ---\n", ours.markdown.trim_end());
    let _ = writeln!(
        out,
        "tokens ours {} ref {} matched {}: P {:.3} R {:.3} F1 {:.3}",
        result.tokens_ours,
        result.tokens_ref,
        result.tokens_matched,
        result.precision,
        result.recall,
        result.f1
    );
    let _ = writeln!(
        out,
        "headings ours {} ref {} matched {}: P {:.3} R {:.3} F1 {:.3}",
        result.headings_ours,
        result.headings_ref,
        result.headings_matched,
        result.heading_precision,
        result.heading_recall,
        result.heading_f1
    );

    let hm = match_headings(&heading_keys(&ours.headings), &heading_keys(&reference.headings), fuzz);
    let fuzzy: Vec<_> = hm.matched.iter().filter(|(a, b)| a != b).collect();
    if !fuzzy.is_empty() {
        let _ = writeln!(out, "\nheadings matched fuzzily:");
        for (a, b) in fuzzy {
            let _ = writeln!(out, "  ours '{a}' ~ ref '{b}'");
        }
    }
    let _ = writeln!(out, "\nheadings only in ours ({}):", hm.only_ours.len());
    for h in &hm.only_ours {
        let _ = writeln!(out, "  + {h}");
    }
    let _ = writeln!(out, "headings only in reference ({}):", hm.only_ref.len());
    for h in &hm.only_ref {
        let _ = writeln!(out, "  - {h}");
    }

    let our_bag = ours.bag();
    let ref_bag = reference.bag();
    let missing = bag_difference(&ref_bag, &our_bag);
    let extra = bag_difference(&our_bag, &ref_bag);
    let total = |v: &[(String, usize)]| v.iter().map(|(_, n)| n).sum::<usize>();
    let _ =
        writeln!(out, "\ntokens missing (in reference, not in ours): {} in all; top 40:", total(&missing));
    write_counts(&mut out, &missing, 40);
    let _ = writeln!(out, "tokens extra (in ours, not in reference): {} in all; top 40:", total(&extra));
    write_counts(&mut out, &extra, 40);

    // Where the difference is: whole blocks one side has and the other mostly lacks.
    let _ = writeln!(out, "\nreference blocks mostly missing from ours (<50% of their words found):");
    write_uncovered(&mut out, &reference.texts, &our_bag, 25);
    let _ = writeln!(out, "our blocks mostly absent from the reference (chrome? <50% found):");
    write_uncovered(&mut out, &ours.texts, &ref_bag, 25);
    print!("{out}");
    Ok(())
}

/// Tokens `a` has more of than `b`, with the surplus, largest first.
fn bag_difference(a: &Bag, b: &Bag) -> Vec<(String, usize)> {
    let mut v: Vec<(String, usize)> = a
        .iter()
        .filter_map(|(k, n)| {
            n.checked_sub(b.get(k).copied().unwrap_or(0)).filter(|d| *d > 0).map(|d| (k.clone(), d))
        })
        .collect();
    v.sort_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
    v
}

fn write_counts(out: &mut String, v: &[(String, usize)], top: usize) {
    let line: Vec<String> = v.iter().take(top).map(|(k, n)| format!("{k}×{n}")).collect();
    let _ = writeln!(out, "  {}", if line.is_empty() { "(none)".to_string() } else { line.join("  ") });
}

fn write_uncovered(out: &mut String, texts: &[String], other: &Bag, limit: usize) {
    let mut shown = 0;
    let mut hidden = 0;
    for t in texts {
        let toks = tokens(t);
        if toks.is_empty() {
            continue;
        }
        let found = toks.iter().filter(|w| other.contains_key(*w)).count();
        if (found as f64) < 0.5 * toks.len() as f64 {
            if shown < limit {
                let short: String = t.chars().take(160).collect();
                let ell = if short.len() < t.len() { "…" } else { "" };
                let _ = writeln!(out, "  [{found}/{}] {short}{ell}", toks.len());
                shown += 1;
            } else {
                hidden += 1;
            }
        }
    }
    if shown == 0 {
        let _ = writeln!(out, "  (none)");
    }
    if hidden > 0 {
        let _ = writeln!(out, "  … and {hidden} more");
    }
}

// ---------------------------------------------------------------- third-party extractors

#[cfg(feature = "compare")]
mod third_party {
    use super::Extracted;
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    use scraper::{ElementRef, Html, Node};

    /// Readability (dom_smoothie): its article content HTML, read by a plain tag-stripping walk.
    pub fn dom_smoothie(html: &[u8]) -> Result<Extracted, String> {
        let text = String::from_utf8_lossy(html);
        let mut r = dom_smoothie::Readability::new(text.as_ref(), None, None).map_err(|e| e.to_string())?;
        let article = r.parse().map_err(|e| e.to_string())?;
        let mut out = html_text(&article.content);
        out.markdown = format!("(dom_smoothie content HTML)\n{}", &*article.content);
        Ok(out)
    }

    /// rs-trafilatura: text from `content_text`, headings from its Markdown output.
    pub fn rs_trafilatura(html: &[u8]) -> Result<Extracted, String> {
        let text = String::from_utf8_lossy(html);
        // Bold is kept in the Markdown only when asked for (`--bold-headings` reads it).
        let include_formatting = super::BOLD_HEADINGS.load(std::sync::atomic::Ordering::Relaxed);
        let options =
            rs_trafilatura::Options { output_markdown: true, include_formatting, ..Default::default() };
        let result = rs_trafilatura::extract_with_options(&text, &options).map_err(|e| e.to_string())?;
        let markdown = result.content_markdown.unwrap_or_default();
        let texts =
            result.content_text.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect();
        Ok(Extracted { texts, headings: markdown_headings(&markdown), markdown })
    }

    /// ATX/setext headings (and, with `--bold-headings`, wholly bold short paragraphs).
    fn markdown_headings(md: &str) -> Vec<String> {
        let mut headings = Vec::new();
        let mut current: Option<String> = None;
        let mut para: Option<(String, usize)> = None;
        let mut strong = 0usize;
        for event in Parser::new(md) {
            match event {
                Event::Start(Tag::Heading { .. }) => current = Some(String::new()),
                Event::End(TagEnd::Heading(_)) => headings.extend(current.take()),
                Event::Start(Tag::Paragraph) => para = Some((String::new(), 0)),
                Event::End(TagEnd::Paragraph) => {
                    if let Some((text, 0)) = para.take() {
                        let t = policydiff::normalize::text::clean(&text);
                        if !t.is_empty() && is_bold_heading(&t) {
                            headings.push(t);
                        }
                    }
                }
                Event::Start(Tag::Strong) => strong += 1,
                Event::End(TagEnd::Strong) => strong = strong.saturating_sub(1),
                Event::Text(t) | Event::Code(t) => {
                    if let Some(c) = current.as_mut() {
                        c.push_str(&t);
                    }
                    if let Some((p, plain)) = para.as_mut() {
                        p.push_str(&t);
                        if strong == 0 {
                            *plain += t.trim().len();
                        }
                    }
                }
                Event::SoftBreak | Event::HardBreak => {
                    if let Some((p, _)) = para.as_mut() {
                        p.push(' ');
                    }
                }
                _ => {}
            }
        }
        headings
    }

    const BLOCKS: &[&str] = &[
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    ];

    /// Text blocks split at block elements; headings are `h1`–`h6` (and, with
    /// `--bold-headings`, short blocks wholly in `<b>`/`<strong>`).
    fn html_text(content: &str) -> Extracted {
        let fragment = Html::parse_fragment(content);
        let mut w = Walker::default();
        w.walk(fragment.root_element());
        w.flush();
        w.out
    }

    #[derive(Default)]
    struct Walker {
        out: Extracted,
        buf: String,
        /// Non-blank text of the current block outside any bold element.
        plain_chars: usize,
        bold_depth: usize,
    }

    impl Walker {
        fn flush(&mut self) {
            let t = policydiff::normalize::text::clean(&self.buf);
            if !t.is_empty() {
                if self.plain_chars == 0 && is_bold_heading(&t) {
                    self.out.headings.push(t.clone());
                }
                self.out.texts.push(t);
            }
            self.buf.clear();
            self.plain_chars = 0;
        }

        fn walk(&mut self, element: ElementRef<'_>) {
            for child in element.children() {
                if let Node::Text(t) = child.value() {
                    if self.bold_depth == 0 {
                        self.plain_chars += t.trim().len();
                    }
                    self.buf.push_str(t);
                    continue;
                }
                let Some(child) = ElementRef::wrap(child) else { continue };
                let name = child.value().name();
                if matches!(name, "script" | "style" | "noscript" | "template") {
                    continue;
                }
                let block = BLOCKS.contains(&name);
                let heading = matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
                let bold = matches!(name, "b" | "strong");
                if block {
                    self.flush();
                }
                if heading {
                    let h = policydiff::normalize::text::clean(&child.text().collect::<String>());
                    if !h.is_empty() {
                        self.out.headings.push(h);
                    }
                    // Its text is counted as text, not again as a bold heading.
                    self.plain_chars += 1;
                }
                self.bold_depth += usize::from(bold);
                self.walk(child);
                self.bold_depth -= usize::from(bold);
                if heading {
                    self.buf.push(' ');
                }
                if block {
                    self.flush();
                }
            }
        }
    }

    /// `--bold-headings`: a wholly bold block of at most 120 characters is a heading,
    /// the rule the reference reader applies to Princeton's `**…**` lines.
    fn is_bold_heading(t: &str) -> bool {
        super::BOLD_HEADINGS.load(std::sync::atomic::Ordering::Relaxed) && t.chars().count() <= 120
    }
}

#[cfg(not(feature = "compare"))]
mod third_party {
    use super::Extracted;

    const NEEDS: &str = "built without the `compare` feature";

    pub fn dom_smoothie(_: &[u8]) -> Result<Extracted, String> {
        Err(NEEDS.into())
    }

    pub fn rs_trafilatura(_: &[u8]) -> Result<Extracted, String> {
        Err(NEEDS.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_fold_quotes_dashes_and_punctuation() {
        assert_eq!(
            tokens("We don’t sell—ever. Opt\u{00A0}out: “e-mail”"),
            ["we", "dont", "sell", "ever", "opt", "out", "e", "mail"]
        );
    }

    #[test]
    fn heading_keys_drop_numbering_and_punctuation() {
        assert_eq!(heading_key("1.2 Cookies & Tracking:"), "cookies tracking");
        assert_eq!(heading_key("IV. Your Rights"), "your rights");
        assert_eq!(heading_key("Section 3 – Sharing"), "sharing");
        assert_eq!(heading_key("a) Children"), "children");
    }

    #[test]
    fn bag_overlap_counts_each_token_at_most_as_often_as_both_have_it() {
        let mut a = Bag::new();
        let mut b = Bag::new();
        add_tokens(&mut a, "the data the data the");
        add_tokens(&mut b, "the data data data");
        assert_eq!(overlap(&a, &b), 3);
    }

    #[test]
    fn nearest_rank_percentile_and_median() {
        let v: Vec<f64> = (1..=17).map(f64::from).collect();
        assert_eq!(percentile_nearest_rank(&v, 0.10), 2.0);
        assert_eq!(median(&v), 9.0);
        assert_eq!(median(&[1.0, 2.0]), 1.5);
    }

    #[test]
    fn html2text_bold_broken_around_line_breaks_is_repaired() {
        assert_eq!(repair_html2text_bold("**Cookies  \n**We use them."), "**Cookies**\n\nWe use them.");
        assert_eq!(
            repair_html2text_bold("**  \nSecurity of your Data**  \nWe protect it."),
            "**Security of your Data**  \nWe protect it."
        );
        assert_eq!(repair_html2text_bold("**Sharing **"), "**Sharing**");
        assert_eq!(repair_html2text_bold("**Contact** ** **\n"), "**Contact**\n");
        assert_eq!(repair_html2text_bold("a **bold** word"), "a **bold** word");
    }

    #[test]
    fn headings_match_exactly_then_fuzzily() {
        let ours = vec!["cookies".to_string(), "your privacy rights".into(), "contact".into()];
        let reference = vec!["cookie".to_string(), "your privacy right".into(), "cookies".into()];
        let m = match_headings(&ours, &reference, 0.9);
        assert_eq!(m.matched.len(), 2);
        assert_eq!(m.only_ours, ["contact"]);
        assert_eq!(m.only_ref, ["cookie"]);
    }
}
