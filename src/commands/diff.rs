//! `policydiff diff OLD NEW` and `policydiff diff URL --from DATE --to DATE`:
//! what changed from OLD to NEW, in the format asked for.

use std::io::Write;
use std::path::Path;

use crate::cli::{Config, DiffArgs, DiffFormat};
use crate::error::{Error, Result};
use crate::exit_codes;
use crate::source::{self, Loaded};
use crate::{diff, report};

pub fn run(args: &DiffArgs, config: &Config) -> Result<u8> {
    let (old, new) = load_pair(args, config)?;
    let d = diff::diff(&old.document, &new.document);
    let format = args.format.unwrap_or(if config.stdout_is_terminal && args.output.is_none() {
        DiffFormat::Terminal
    } else {
        DiffFormat::Markdown
    });
    let text = match format {
        DiffFormat::Json => report::json::render(&d, &old.info, &new.info),
        // Colour only where a terminal shows it, never into a file.
        DiffFormat::Terminal => {
            report::terminal::render(&d, &old.info, &new.info, config.color && args.output.is_none())
        }
        DiffFormat::Markdown => report::markdown::render(&d, &old.info, &new.info),
        DiffFormat::Html => report::html::render(&d, &old.info, &new.info),
    };
    match &args.output {
        Some(path) => write_atomically(path, text.as_bytes())?,
        None => match std::io::stdout().lock().write_all(text.as_bytes()) {
            Ok(()) => {}
            // A closed pipe (`| head`) is not an error worth a message.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            Err(e) => return Err(Error::Usage(format!("writing output: {e}"))),
        },
    }
    Ok(if d.is_empty() { exit_codes::SUCCESS } else { exit_codes::CHANGES })
}

/// The two versions: two SOURCEs, or one URL at two dates.
fn load_pair(args: &DiffArgs, config: &Config) -> Result<(Loaded, Loaded)> {
    match (&args.new, &args.from, &args.to) {
        (Some(new), None, None) => Ok((source::load(&args.old, config)?, source::load(new, config)?)),
        (None, Some(from), Some(to)) => {
            if !(args.old.starts_with("http://") || args.old.starts_with("https://")) {
                return Err(Error::Usage(format!(
                    "diff {} --from/--to: give a URL (http:// or https://) to compare two captures of",
                    args.old
                )));
            }
            let old = source::load(&format!("{}@{from}", args.old), config)?;
            let new = source::load(&format!("{}@{to}", args.old), config)?;
            Ok((old, new))
        }
        (Some(_), _, _) => {
            Err(Error::Usage("diff: give either OLD NEW, or URL --from DATE --to DATE, not both".into()))
        }
        (None, _, _) => Err(Error::Usage(
            "diff: give two SOURCEs (OLD NEW), or a URL with both --from DATE and --to DATE".into(),
        )),
    }
}

/// Writes through a temporary file beside `path`, then renames: never half a report.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let shown = path.display().to_string();
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "report".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::input(shown, format!("cannot write the report: {}", source::io_message(&e))));
    }
    Ok(())
}
