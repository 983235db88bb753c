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
        Err(err) => {
            // clap prints help/version to stdout (status 0) and usage errors to stderr.
            let status = if err.use_stderr() { exit_codes::ERROR } else { exit_codes::SUCCESS };
            let _ = err.print();
            return ExitCode::from(status);
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
            eprintln!("policydiff: {err}");
            ExitCode::from(exit_codes::ERROR)
        }
        Err(_) => ExitCode::from(exit_codes::ERROR),
    }
}
