//! The `policydiff` binary: parse the command line, run, map the outcome to an exit status.
//!
//! Lint allowances: none; clippy runs with `-D warnings` in CI.

use std::process::ExitCode;

use clap::Parser;
use policydiff::cli::Cli;
use policydiff::exit_codes;

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
    policydiff::cli::init_logging(&cli.global);
    match policydiff::cli::run(cli) {
        Ok(status) => ExitCode::from(status),
        Err(err) => {
            eprintln!("policydiff: {err}");
            ExitCode::from(exit_codes::ERROR)
        }
    }
}
