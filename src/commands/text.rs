//! `policydiff text SOURCE...`: the normalized policy of each SOURCE.

use crate::cli::{TextArgs, TextFormat};
use crate::config::Config;
use crate::error::Result;
use crate::{exit_codes, output};

pub async fn run(args: &TextArgs, config: &Config) -> Result<u8> {
    let acquirer = config.acquirer()?;
    // Load everything first, so a bad SOURCE fails before anything is printed.
    let mut loaded = Vec::with_capacity(args.sources.len());
    for source in &args.sources {
        loaded.push(acquirer.load(source).await?);
    }
    let many = loaded.len() > 1;
    let mut text = String::new();
    if args.format == TextFormat::Json {
        let docs: Vec<_> = loaded
            .iter()
            .map(|l| {
                let source = crate::report::wire::Source::from(&l.info);
                serde_json::json!({"source": source, "document": l.document})
            })
            .collect();
        let value = if many { serde_json::Value::Array(docs) } else { docs[0].clone() };
        text = crate::report::json::to_pretty(&value);
    } else {
        for (i, l) in loaded.iter().enumerate() {
            if many {
                if i > 0 {
                    text.push('\n');
                }
                match args.format {
                    TextFormat::Markdown => {
                        text.push_str(&format!("<!-- {} -->\n\n", l.info.source.replace("--", "- -")))
                    }
                    _ => text.push_str(&format!("==> {} <==\n\n", l.info.source)),
                }
            }
            let body = match args.format {
                TextFormat::Markdown => l.document.to_markdown(),
                _ => l.document.to_text(),
            };
            text.push_str(&body);
            if !text.ends_with('\n') {
                text.push('\n');
            }
        }
    }
    // Page text could hold ESC sequences: shown, never sent to the terminal.
    let mut text = crate::escape::control_chars(&text).into_owned();
    // Plain text on a terminal wraps at words (Markdown and JSON stay as they are).
    if let (TextFormat::Text, Some(width)) = (args.format, config.width) {
        text = crate::report::terminal::wrap_prose(&text, width);
    }
    output::emit(&text, None)?;
    Ok(exit_codes::SUCCESS)
}
