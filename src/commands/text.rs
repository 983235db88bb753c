//! `policydiff text SOURCE...`: the normalized policy of each SOURCE.

use std::io::Write;

use crate::cli::{Config, TextArgs, TextFormat};
use crate::error::{Error, Result};
use crate::exit_codes;
use crate::source;

pub fn run(args: &TextArgs, config: &Config) -> Result<u8> {
    // Load everything first, so a bad SOURCE fails before anything is printed.
    let loaded = args.sources.iter().map(|s| source::load(s, config)).collect::<Result<Vec<_>>>()?;
    let many = loaded.len() > 1;
    let mut out = std::io::stdout().lock();
    let mut text = String::new();
    if args.format == TextFormat::Json {
        let docs: Vec<_> =
            loaded.iter().map(|l| serde_json::json!({"source": l.info, "document": l.document})).collect();
        let value = if many { serde_json::Value::Array(docs) } else { docs[0].clone() };
        text = serde_json::to_string_pretty(&value).unwrap_or_default();
        text.push('\n');
    } else {
        for (i, l) in loaded.iter().enumerate() {
            if many {
                if i > 0 {
                    text.push('\n');
                }
                match args.format {
                    TextFormat::Markdown => text.push_str(&format!("<!-- {} -->\n\n", l.info.source)),
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
    match out.write_all(text.as_bytes()) {
        Ok(()) => Ok(exit_codes::SUCCESS),
        // A closed pipe (`| head`) is not an error worth a message.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(exit_codes::SUCCESS),
        Err(e) => Err(Error::Usage(format!("writing output: {e}"))),
    }
}
