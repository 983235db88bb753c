//! One module per command: each parses nothing itself (see `cli.rs`), calls the library
//! — [`crate::acquire`] for Documents, [`crate::diff`], [`crate::report`] — and prints
//! through [`crate::output`]. Nothing here parses HTML, diffs text or speaks HTTP.

pub mod captures;
pub mod changelog;
pub mod check;
pub mod diff;
pub mod fetch;
pub mod text;
pub mod watch;

use std::path::Path;

use crate::cli::{Command, Shell};
use crate::config::Config;
use crate::date::DateSpec;
use crate::error::{Error, Result};

/// Runs one parsed command and returns its exit status.
pub async fn run(command: Command, config: &Config) -> Result<u8> {
    crate::output::set_brief(config.brief());
    match command {
        Command::Captures(args) => captures::run(&args, config).await,
        Command::Fetch(args) => fetch::run(&args, config).await,
        Command::Text(args) => text::run(&args, config).await,
        Command::Diff(args) => diff::run(&args, config).await,
        Command::Changelog(args) => changelog::run(&args, config).await,
        Command::Watch { action } => watch::run(&action, config).await,
        Command::Check(args) => check::run(&args, config).await,
        Command::Completions { shell } => completions(shell),
        Command::Manpage => manpage(),
    }
}

/// `--from` after `--to` is a mistake, not an empty range.
pub fn check_range(from: Option<&DateSpec>, to: Option<&DateSpec>) -> Result<()> {
    if let (Some(from), Some(to)) = (from, to) {
        if from.start() > to.end() {
            return Err(Error::Usage(format!(
                "--from {from} is after --to {to}; give the older date to --from"
            )));
        }
    }
    Ok(())
}

/// The format `-o FILE`'s extension names, among a command's `--format` values:
/// `.html`/`.htm`, `.json`, `.md`/`.markdown`, `.atom`/`.xml`, `.txt`/`.text` (the
/// terminal report, without colour); `None` for another extension, or for a format the
/// command does not have (`diff -o x.atom`).
pub fn format_of<F: clap::ValueEnum>(output: Option<&Path>) -> Option<F> {
    let ext = output?.extension()?.to_str()?.to_ascii_lowercase();
    let format = match ext.as_str() {
        "html" | "htm" => "html",
        "json" => "json",
        "md" | "markdown" => "markdown",
        "atom" | "xml" => "atom",
        "txt" | "text" => "terminal",
        _ => return None,
    };
    F::from_str(format, false).ok()
}

fn completions(shell: Shell) -> Result<u8> {
    use clap::CommandFactory;
    let shell = match shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
    };
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut crate::cli::Cli::command(), "policydiff", &mut out);
    crate::output::emit(&String::from_utf8_lossy(&out), None)?;
    Ok(crate::exit_codes::SUCCESS)
}

/// The manual page: `policydiff.1` with every command's options as sections.
pub fn manpage_roff() -> Result<String> {
    use clap::CommandFactory;
    let cmd = crate::cli::Cli::command();
    let mut out = Vec::new();
    let fail = |e: std::io::Error| Error::Usage(format!("cannot write the manual page: {e}"));
    clap_mangen::Man::new(cmd.clone()).render(&mut out).map_err(fail)?;
    // Each command as a section of the one page, its parts as subsections.
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("policydiff {}", sub.get_name());
        let man = clap_mangen::Man::new(sub.clone().display_name(name.clone()).bin_name(name.clone()));
        let mut part = Vec::new();
        man.render_synopsis_section(&mut part).map_err(fail)?;
        man.render_description_section(&mut part).map_err(fail)?;
        man.render_options_section(&mut part).map_err(fail)?;
        man.render_subcommands_section(&mut part).map_err(fail)?;
        man.render_extra_section(&mut part).map_err(fail)?;
        let part = String::from_utf8_lossy(&part).replace(".SH ", ".SS ");
        out.extend_from_slice(format!(".SH \"{}\"\n", name.to_uppercase()).as_bytes());
        out.extend_from_slice(part.as_bytes());
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

fn manpage() -> Result<u8> {
    crate::output::emit(&manpage_roff()?, None)?;
    Ok(crate::exit_codes::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{ChangelogFormat, DiffFormat};

    #[test]
    fn an_output_files_extension_names_the_format_of_each_command() {
        let of = |name: &str| {
            let path = Path::new(name);
            (format_of::<DiffFormat>(Some(path)), format_of::<ChangelogFormat>(Some(path)))
        };
        assert_eq!(of("r.html"), (Some(DiffFormat::Html), Some(ChangelogFormat::Html)));
        assert_eq!(of("r.HTM"), (Some(DiffFormat::Html), Some(ChangelogFormat::Html)));
        assert_eq!(of("r.json"), (Some(DiffFormat::Json), Some(ChangelogFormat::Json)));
        assert_eq!(of("r.md"), (Some(DiffFormat::Markdown), Some(ChangelogFormat::Markdown)));
        assert_eq!(of("r.markdown"), (Some(DiffFormat::Markdown), Some(ChangelogFormat::Markdown)));
        assert_eq!(of("r.txt"), (Some(DiffFormat::Terminal), Some(ChangelogFormat::Terminal)));
        assert_eq!(of("r.text"), (Some(DiffFormat::Terminal), Some(ChangelogFormat::Terminal)));
        // A feed only the changelog writes; `diff` falls back to its default.
        assert_eq!(of("r.atom"), (None, Some(ChangelogFormat::Atom)));
        assert_eq!(of("r.xml"), (None, Some(ChangelogFormat::Atom)));
        assert_eq!(of("r.pdf"), (None, None));
        assert_eq!(of("report"), (None, None));
        assert_eq!(format_of::<DiffFormat>(None), None);
    }
}
