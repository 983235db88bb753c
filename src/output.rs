//! Where command output goes: standard output (a closed pipe is not an error), or the
//! file of `-o FILE` written atomically (a reader never sees half a report); `-o -` is
//! standard output. With `-q`/`--brief` ([`set_brief`]) nothing reaches standard output,
//! whatever the command: the exit status is the answer. Also the progress bar every long
//! command shows on a terminal.

use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use indicatif::{ProgressBar, ProgressStyle};

use crate::config::Config;
use crate::error::{Error, Result};

/// `-q`/`--brief` for the whole process: one switch here, so that every command is
/// quiet the same way (set once, before the command runs).
static BRIEF: AtomicBool = AtomicBool::new(false);

/// `-q`/`--brief`: from now on [`emit`] writes nothing to standard output. A file named
/// with `-o FILE` is still written: the user asked for it by name.
pub fn set_brief(brief: bool) {
    BRIEF.store(brief, Ordering::Relaxed);
}

/// True when `-q`/`--brief` is in force.
pub fn is_brief() -> bool {
    BRIEF.load(Ordering::Relaxed)
}

/// Writes a command's whole output to `to` (a file; `None` or `-` is stdout, where
/// nothing is written under `-q`).
pub fn emit(text: &str, to: Option<&Path>) -> Result<()> {
    match to {
        Some(path) if path != Path::new("-") => write_file(path, text.as_bytes()),
        _ if is_brief() => Ok(()),
        _ => write_stdout(text.as_bytes()),
    }
}

/// True when `to` means standard output.
pub fn is_stdout(to: Option<&Path>) -> bool {
    to.is_none_or(|p| p == Path::new("-"))
}

fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        // A closed pipe (`| head`) is not an error worth a message.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::Usage(format!("writing output: {e}"))),
    }
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    crate::store::write_atomic(path, bytes).map_err(|e| {
        let why = match e {
            Error::Store { message, .. } => message,
            other => other.to_string(),
        };
        let why = why.split(" (os error").next().unwrap_or(&why).to_string();
        Error::input(path.display().to_string(), format!("cannot write the report: {why}"))
    })
}

/// A progress bar of `len` steps of `unit` on a terminal; hidden on a pipe and with `-q`.
pub fn progress_bar(config: &Config, len: usize, unit: &str) -> ProgressBar {
    if !config.shows_progress() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len as u64);
    let template = format!("{{spinner}} [{{elapsed_precise}}] {{bar:40}} {{pos}}/{{len}} {unit} {{msg}}");
    let style = ProgressStyle::with_template(&template).unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}
