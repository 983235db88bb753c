//! The `policydiff` binary: parse the command line, start the one async runtime of the
//! process, run the command, map the outcome to an exit status.
//!
//! Lint allowances: none; clippy runs with `-D warnings` in CI.

use std::process::ExitCode;

use clap::Parser;
use policydiff::cli::Cli;
use policydiff::{commands, config, exit_codes};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) if !err.use_stderr() => {
            // --help and --version: clap's own page on stdout.
            let _ = err.print();
            return ExitCode::from(exit_codes::SUCCESS);
        }
        Err(err) => {
            eprintln!("policydiff: {}", usage_error_line(&err.render().to_string()));
            return ExitCode::from(exit_codes::ERROR);
        }
    };
    let config = cli.global.config();
    config::init_logging(&config);
    // A bug must still end as one line and status 2, not a backtrace.
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown cause".into());
        let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        eprintln!("policydiff: internal error: {what}{at}; please report it");
    }));
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("policydiff: cannot start the async runtime: {e}");
            return ExitCode::from(exit_codes::ERROR);
        }
    };
    let outcome = std::panic::catch_unwind(|| runtime.block_on(commands::run(cli.command, &config)));
    match outcome {
        Ok(Ok(status)) => ExitCode::from(status),
        Ok(Err(err)) => {
            eprintln!("policydiff: {}", policydiff::escape::one_line(&err.to_string()));
            ExitCode::from(exit_codes::ERROR)
        }
        Err(_) => ExitCode::from(exit_codes::ERROR),
    }
}

/// clap's usage error as one line, in the style of every other error:
/// "unexpected argument '--frm' found (tip: ...; see 'policydiff diff --help')".
fn usage_error_line(rendered: &str) -> String {
    let mut lines = rendered.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next().unwrap_or("bad command line");
    let mut line = first.strip_prefix("error: ").unwrap_or(first).to_string();
    let rest: Vec<&str> = lines.collect();
    if line.ends_with(':') {
        // "the following required arguments were not provided:" lists them below.
        let listed: Vec<&str> =
            rest.iter().copied().take_while(|l| !l.starts_with("Usage:") && !l.starts_with("tip:")).collect();
        line.push(' ');
        line.push_str(&listed.join(", "));
    }
    if let Some(tip) = rest.iter().find_map(|l| l.strip_prefix("tip: ")) {
        line.push_str(&format!(" ({tip})"));
    }
    // "Usage: policydiff diff [OPTIONS] <OLD> [NEW]" names the command to ask about.
    let command: Vec<&str> = rest
        .iter()
        .find_map(|l| l.strip_prefix("Usage: "))
        .map(|u| u.split_whitespace().take_while(|w| !w.starts_with(['[', '<', '-'])).collect())
        .unwrap_or_else(|| vec!["policydiff"]);
    line.push_str(&format!("; see '{} --help'", command.join(" ")));
    policydiff::escape::one_line(&line).into_owned()
}
