//! `policydiff diff OLD NEW` and `policydiff diff URL --from DATE --to DATE`:
//! what changed from OLD to NEW, in the format asked for.

use crate::acquire::{is_url, Acquirer, Loaded};
use crate::cli::{DiffArgs, DiffFormat};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::{diff, exit_codes, output, report};

pub async fn run(args: &DiffArgs, config: &Config) -> Result<u8> {
    super::check_range(args.from.as_ref(), args.to.as_ref())?;
    let acquirer = config.acquirer()?;
    let (old, new) = load_pair(args, &acquirer).await?;
    let d = diff::diff(&old.document, &new.document);
    let status = if d.is_empty() { exit_codes::SUCCESS } else { exit_codes::CHANGES };
    let to_stdout = output::is_stdout(args.output.as_deref());
    // As `diff -q`: the status is the answer, no report is made (one named by -o still is).
    if config.brief() && to_stdout {
        return Ok(status);
    }
    let format = args.format.or_else(|| super::format_of(args.output.as_deref())).unwrap_or(
        if config.stdout_is_terminal && to_stdout { DiffFormat::Terminal } else { DiffFormat::Markdown },
    );
    let text = match format {
        DiffFormat::Json => report::json::render(&d, &old.info, &new.info),
        // Colour and wrapping only where a terminal shows them, never into a file.
        DiffFormat::Terminal => {
            let page = report::terminal::render(&d, &old.info, &new.info, config.color && to_stdout);
            match config.width.filter(|_| to_stdout) {
                Some(width) => report::terminal::wrap(&page, width),
                None => page,
            }
        }
        DiffFormat::Markdown => report::markdown::render(&d, &old.info, &new.info),
        DiffFormat::Html => {
            let context = report::html::Context::new(&d, &old.document, &new.document);
            report::html::render(&d, &old.info, &new.info, Some(&context))
        }
    };
    output::emit(&text, args.output.as_deref())?;
    Ok(status)
}

/// The two versions: two SOURCEs, or one URL at two dates.
async fn load_pair(args: &DiffArgs, acquirer: &Acquirer) -> Result<(Loaded, Loaded)> {
    match (&args.new, &args.from, &args.to) {
        (Some(new), None, None) => Ok((acquirer.load(&args.old).await?, acquirer.load(new).await?)),
        (None, Some(from), Some(to)) => {
            if !is_url(&args.old) {
                return Err(Error::Usage(format!(
                    "diff {} --from/--to: give a URL (http:// or https://) to compare two captures of",
                    args.old
                )));
            }
            let old = acquirer.load(&format!("{}@{from}", args.old)).await?;
            let new = acquirer.load(&format!("{}@{to}", args.old)).await?;
            if old.info.timestamp == new.info.timestamp {
                tracing::warn!(
                    "--from {from} and --to {to} both resolve to the capture {}: there is nothing to compare",
                    old.info.timestamp.as_deref().unwrap_or_default()
                );
            }
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
