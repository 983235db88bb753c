//! The known-edit benchmark (issue 4): real policies with known edits, diffed by
//! policydiff and by a sentence-level baseline, scored per kind of change.
//!
//! ```text
//! cargo run --release --example known_edits -- [--corpus ../shared/corpus] [--pairs 200] [--seed 1] [--verbose]
//! ```
//!
//! See docs/known-edits.md for what the generator does and what the figures mean.

#[path = "known_edits/baseline.rs"]
mod baseline;
#[path = "known_edits/engine.rs"]
mod engine;
#[path = "known_edits/gen.rs"]
mod gen;
#[path = "known_edits/html.rs"]
mod html;
#[path = "known_edits/score.rs"]
mod score;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use serde_json::Value;

use crate::gen::Pair;
use crate::score::Score;

#[derive(Parser)]
#[command(about = "Known-edit benchmark of the differ: per-kind precision and recall")]
struct Args {
    /// The evaluation corpus (holding wayback-policies/ and ota-histories/). Without
    /// it: ../shared/corpus when it holds policies, else the 8 fixture policies of
    /// tests/fixtures/known-edits/ (said on stderr).
    #[arg(long)]
    corpus: Option<PathBuf>,
    /// Number of pairs (every fifth one cosmetic-only).
    #[arg(long, default_value_t = 200)]
    pairs: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Also edit clauses holding semicolons, colons and full stops that end no sentence
    /// (`e.g. cookies`, `Inc. and`, `example.com`): a stress test of clause splitting.
    #[arg(long)]
    hard: bool,
    /// Give half of the pairs HTML sides (old, new or both, as site captures in one of
    /// three page templates), read by the HTML normalizer.
    #[arg(long)]
    html: bool,
    /// With --html: keep the pages the HTML normalizer does not read back as rendered
    /// too, to see what its errors cost the report (the expected changes stay those of
    /// the Markdown pair).
    #[arg(long, requires = "html")]
    keep_rejected: bool,
    /// List every misclassification.
    #[arg(long)]
    verbose: bool,
    /// Write policydiff's misclassifications as Markdown to this file.
    #[arg(long)]
    findings: Option<PathBuf>,
    /// Write each pair's old and new Markdown into this directory.
    #[arg(long)]
    dump: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let corpus = match &args.corpus {
        Some(dir) => dir.clone(),
        None => {
            let shared = PathBuf::from("../shared/corpus");
            if gen::load_corpus(&shared).is_ok_and(|b| !b.is_empty()) {
                shared
            } else {
                let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/known-edits");
                eprintln!(
                    "known_edits: no corpus at ../shared/corpus: using the fixture policies of {} (pass --corpus PATH for the full corpus)",
                    fixtures.display()
                );
                fixtures
            }
        }
    };
    let bases = match gen::load_corpus(&corpus) {
        Ok(b) if !b.is_empty() => b,
        Ok(_) => {
            eprintln!(
                "known_edits: no policies in {} (want wayback-policies/ or ota-histories/)",
                corpus.display()
            );
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("known_edits: cannot read {}: {e}", corpus.display());
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    let mut pairs = gen::generate(&bases, args.pairs, args.seed, args.hard);
    let mismatches = if args.html {
        html::add_html_sides(&mut pairs, args.seed, HTML_SHARE, args.keep_rejected)
    } else {
        Vec::new()
    };
    let cosmetic = pairs.iter().filter(|p| p.cosmetic).count();
    println!(
        "{} base policies, {} pairs ({} with known edits, {} cosmetic-only), seed {}{}{}, generated in {:.1} s",
        bases.len(),
        pairs.len(),
        pairs.len() - cosmetic,
        cosmetic,
        args.seed,
        if args.hard { ", --hard" } else { "" },
        match (args.html, args.keep_rejected) {
            (true, true) => ", --html --keep-rejected",
            (true, false) => ", --html",
            _ => "",
        },
        started.elapsed().as_secs_f64()
    );
    if args.html {
        print!("{}", html_summary(&pairs, &mismatches, args.keep_rejected));
    }
    println!();
    if let Some(dir) = &args.dump {
        if let Err(e) = dump(dir, &pairs) {
            eprintln!("known_edits: cannot write {}: {e}", dir.display());
            return ExitCode::from(2);
        }
    }

    let started = Instant::now();
    let mut ours = Some(Score::new());
    for pair in &pairs {
        match engine::policydiff_json(&pair.old, &pair.new) {
            Some(report) => ours.as_mut().map_or((), |s| s.add(pair, &report)),
            None => ours = None,
        }
    }
    let ours_time = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let mut base = Score::new();
    for pair in &pairs {
        base.add(pair, &baseline::diff_json(&pair.old, &pair.new));
    }
    let base_time = started.elapsed().as_secs_f64();

    match &ours {
        Some(s) => print!("{}", s.table(&format!("policydiff ({ours_time:.1} s)"))),
        None => println!("policydiff: the differ is not built yet (no policydiff::diff::diff)"),
    }
    println!();
    print!("{}", base.table(&format!("baseline: sentence LCS, ratio >= 0.6 is reworded ({base_time:.1} s)")));

    if args.verbose {
        if let Some(s) = &ours {
            println!("\npolicydiff misclassifications:");
            print_misses(s, &pairs);
        }
        println!("\nbaseline misclassifications:");
        print_misses(&base, &pairs);
    }
    if let (Some(path), Some(s)) = (&args.findings, &ours) {
        let text = findings(s, &pairs, &args);
        if let Err(e) = std::fs::write(path, text) {
            eprintln!("known_edits: cannot write {}: {e}", path.display());
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}

/// The share of pairs given HTML sides with `--html`.
const HTML_SHARE: f64 = 0.5;

/// How many pairs have HTML sides, and the pages the HTML normalizer did not read back.
fn html_summary(pairs: &[Pair], mismatches: &[html::Mismatch], keep_rejected: bool) -> String {
    let count = |f: &dyn Fn(&Pair) -> bool| pairs.iter().filter(|p| f(p)).count();
    let both = count(&|p| p.old_html.is_some() && p.new_html.is_some());
    let old = count(&|p| p.old_html.is_some() && p.new_html.is_none());
    let new = count(&|p| p.old_html.is_none() && p.new_html.is_some());
    let cosmetic = count(&|p| p.cosmetic && (p.old_html.is_some() || p.new_html.is_some()));
    let mut out = format!(
        "HTML sides: {} pairs ({old} old HTML + new Markdown, {new} old Markdown + new HTML, {both} both HTML; \
         {cosmetic} of them cosmetic-only); {} pages; not read back modulo white space, quotes and dashes: {}; \
         kept but not read back to the very same Document: {}\n",
        old + new + both,
        old + new + 2 * both + if keep_rejected { 0 } else { mismatches.iter().filter(|m| m.rejected).count() },
        mismatches.iter().filter(|m| m.rejected).count(),
        mismatches.iter().filter(|m| !m.rejected).count(),
    );
    for m in mismatches {
        out.push_str(&format!(
            "  {} pair {} ({}, {} template): intended {} / read {}\n",
            if m.rejected { "rejected" } else { "inexact" },
            m.pair,
            m.base,
            m.template.name(),
            m.intended,
            m.read
        ));
    }
    out
}

fn dump(dir: &std::path::Path, pairs: &[Pair]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for p in pairs {
        std::fs::write(dir.join(format!("{:03}-old.md", p.id)), &p.old_markdown)?;
        std::fs::write(dir.join(format!("{:03}-new.md", p.id)), &p.new_markdown)?;
        if let Some(page) = &p.old_html {
            std::fs::write(dir.join(format!("{:03}-old.html", p.id)), page)?;
        }
        if let Some(page) = &p.new_html {
            std::fs::write(dir.join(format!("{:03}-new.html", p.id)), page)?;
        }
        let expected: Vec<Value> = p
            .expected
            .iter()
            .map(|e| serde_json::json!({"edit": e.label, "kind": e.kind, "old": e.old, "new": e.new}))
            .collect();
        let meta =
            serde_json::json!({"base": p.base, "cosmetic": p.cosmetic, "what": p.what, "expected": expected});
        std::fs::write(
            dir.join(format!("{:03}-expected.json", p.id)),
            serde_json::to_string_pretty(&meta).unwrap_or_default(),
        )?;
    }
    Ok(())
}

fn print_misses(score: &Score, pairs: &[Pair]) {
    for m in &score.misses {
        let what = pairs.get(m.pair).map(|p| p.what.join("; ")).unwrap_or_default();
        match &m.expected {
            Some(e) => {
                println!(
                    "  pair {} ({}): expected {} ({} edit) old={:?} new={:?}",
                    m.pair, m.base, e.kind, e.label, e.old, e.new
                );
                if m.reported.is_empty() {
                    println!("      reported nothing about it");
                }
                for r in &m.reported {
                    println!("      reported {r}");
                }
            }
            None => {
                for r in &m.reported {
                    println!("  pair {} ({}): spurious {r}   [pair: {what}]", m.pair, m.base);
                }
            }
        }
    }
}

/// The findings file for the differ's author: newest run first, every miss with the
/// Markdown of the sections it is in (enough to reproduce with `policydiff diff`).
fn findings(score: &Score, pairs: &[Pair], args: &Args) -> String {
    let now = chrono::Utc::now().format("%Y-%m-%d %H:%M UTC");
    let mut out = format!(
        "# diffbench findings\n\nRun: {now}, `cargo run --release --example known_edits -- --pairs {} --seed {}{}` \
         (branch diffbench; pair files with `--dump DIR`).\n\n```\n{}```\n\n",
        args.pairs,
        args.seed,
        if args.hard { " --hard" } else { "" },
        score.table("policydiff")
    );
    out.push_str(&format!("## Misclassifications ({})\n\n", score.misses.len()));
    for m in &score.misses {
        let Some(pair) = pairs.get(m.pair) else { continue };
        match &m.expected {
            Some(e) => {
                out.push_str(&format!(
                    "### pair {} ({}): expected `{}` not reported\n\n- expected: {} ({} edit) old={:?} new={:?}\n",
                    m.pair, m.base, e.kind, e.kind, e.label, e.old, e.new
                ));
                if m.reported.is_empty() {
                    out.push_str("- reported: nothing about this text\n");
                }
                for r in &m.reported {
                    out.push_str(&format!("- reported: {r}\n"));
                }
                let texts: Vec<&str> = [e.old.as_deref(), e.new.as_deref()].into_iter().flatten().collect();
                out.push_str(&repro(pair, &texts));
            }
            None => {
                for r in &m.reported {
                    out.push_str(&format!(
                        "### pair {} ({}): spurious `{}`\n\n- reported: {r}\n- the pair: {}\n",
                        m.pair,
                        m.base,
                        r.kind,
                        pair.what.join("; ")
                    ));
                    let texts: Vec<&str> =
                        [r.old.as_deref(), r.new.as_deref()].into_iter().flatten().collect();
                    out.push_str(&repro(pair, &texts));
                }
            }
        }
        out.push('\n');
    }
    out
}

/// The old and new Markdown of the sections holding any of `texts`.
fn repro(pair: &Pair, texts: &[&str]) -> String {
    let section_md = |doc: &policydiff::Document| {
        let mut md = String::new();
        for s in &doc.sections {
            let hit = texts.iter().any(|t| {
                let t = score::norm(t);
                s.heading.as_deref().is_some_and(|h| score::norm(h) == t)
                    || s.blocks.iter().any(|b| score::norm(&b.text()).contains(&t))
            });
            if hit {
                let one = policydiff::Document::from_sections(None, vec![s.clone()]);
                md.push_str(&one.to_markdown());
                md.push_str("\n\n");
            }
        }
        if md.len() > 3000 {
            let mut cut = 3000;
            while !md.is_char_boundary(cut) {
                cut -= 1;
            }
            md.truncate(cut);
            md.push_str("\n[…]\n");
        }
        md
    };
    format!(
        "\nold.md:\n\n```markdown\n{}```\n\nnew.md:\n\n```markdown\n{}```\n",
        section_md(&pair.old),
        section_md(&pair.new)
    )
}
