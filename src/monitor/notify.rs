//! Announcing steps: the `policydiff.check/1` document and its delivery to webhooks
//! and commands from the outbox in [`super::state`].
//!
//! A step and its notifications are recorded in one transaction before anything is
//! sent; each is then delivered and marked delivered. A check killed in between
//! finds the notification pending next time and sends it again with the same `id`
//! (also sent as the `Idempotency-Key` header), so a receiver can tell a repeat from
//! a new step; the only window for a repeat is between the receiver's answer and the
//! mark, never before the send. Nothing is ever dropped: a delivery that fails stays
//! pending, its attempts counted, for the next check.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::hook;
use super::state::{Db, Notification, Target};
use crate::archive::client::USER_AGENT;
use crate::archive::Limits;
use crate::error::{Error, Result};

/// The schema name of a notification.
pub const SCHEMA: &str = "policydiff.check/1";

/// The notification of one step: `watch`, `url`, the step as the changelog gives it,
/// and `text`, one line for chat webhooks. `id` is stable for the step.
pub fn payload(watch: &str, url: &str, step: &Value) -> Value {
    let before = step.pointer("/window/before").and_then(Value::as_str).unwrap_or("");
    json!({
        "schema": SCHEMA,
        "id": format!("{url}#{before}"),
        "watch": watch,
        "url": url,
        "text": text(watch, step),
        "step": step,
    })
}

/// "3 reworded, 1 added" from a step's `summary` (or a diff's): clause counts first,
/// then section counts; "no clause changed" when all are zero.
pub fn summary_phrase(summary: &Value) -> String {
    let n = |k: &str| summary.get(k).and_then(Value::as_u64).unwrap_or(0);
    let mut parts: Vec<String> = Vec::new();
    for kind in ["reworded", "added", "removed", "moved"] {
        if n(kind) > 0 {
            parts.push(format!("{} {kind}", n(kind)));
        }
    }
    for (key, what) in [
        ("sections_added", "added"),
        ("sections_removed", "removed"),
        ("sections_renamed", "renamed"),
        ("sections_split", "split"),
        ("sections_merged", "merged"),
    ] {
        let k = n(key);
        if k > 0 {
            parts.push(format!("{k} section{} {what}", if k == 1 { "" } else { "s" }));
        }
    }
    if parts.is_empty() {
        "no clause changed".into()
    } else {
        parts.join(", ")
    }
}

/// "Example privacy policy: 3 clauses reworded, 1 added (between 2024-03-02 and 2024-03-09)".
pub fn text(watch: &str, step: &Value) -> String {
    let summary = step.get("summary").cloned().unwrap_or(Value::Null);
    let mut phrase = summary_phrase(&summary);
    // The first count names its unit: "3 clauses reworded".
    if let Some((count, rest)) = phrase.split_once(' ') {
        if count.parse::<u64>().is_ok() && !rest.starts_with("section") {
            let unit = if count == "1" { "clause" } else { "clauses" };
            phrase = format!("{count} {unit} {rest}");
        }
    }
    let day = |key: &str| {
        step.pointer(&format!("/window/{key}"))
            .and_then(Value::as_str)
            .filter(|t| t.len() >= 8 && t.bytes().all(|b| b.is_ascii_digit()))
            .map(|t| format!("{}-{}-{}", &t[..4], &t[4..6], &t[6..8]))
    };
    let when = match (day("after"), day("before")) {
        (Some(a), Some(b)) if a == b => format!(" (on {b})"),
        (Some(a), Some(b)) => format!(" (between {a} and {b})"),
        (None, Some(b)) => format!(" (by {b})"),
        _ => String::new(),
    };
    let revert = match step.get("reverts_to").and_then(Value::as_u64) {
        Some(v) => format!(", back to version {v}"),
        None => String::new(),
    };
    format!("{watch}: {phrase}{revert}{when}")
}

/// How deliveries are retried: the archive's retry settings (`POLICYDIFF_MAX_TRIES`,
/// `POLICYDIFF_RETRY_BASE_MS`, `POLICYDIFF_TIMEOUT_MS`) apply to webhooks too.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub limits: Limits,
}

impl Default for Delivery {
    fn default() -> Self {
        Delivery { limits: Limits::from_env() }
    }
}

/// What a round of delivery did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Delivered {
    pub delivered: usize,
    /// Left pending: failed now, or not tried because their target had failed.
    pub pending: usize,
    /// One line per target that failed, with its last error.
    pub failures: Vec<String>,
}

impl Delivery {
    /// Delivers every pending notification in the order recorded. A target that fails
    /// (after its retries) is not tried again in this round; its notifications wait.
    pub async fn deliver_pending(&self, db: &mut Db) -> Result<Delivered> {
        let pending = db.pending()?;
        let mut out = Delivered::default();
        if pending.is_empty() {
            return Ok(out);
        }
        let http = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(self.limits.timeout)
            .connect_timeout(self.limits.timeout)
            .build()
            .map_err(|e| Error::Usage(format!("cannot start the HTTP client: {e}")))?;
        let mut failed: Vec<Target> = Vec::new();
        for n in pending {
            if failed.contains(&n.target) {
                out.pending += 1;
                continue;
            }
            hook::point("before-deliver");
            // Noted before anything is sent: a check killed from here until the mark
            // below leaves the outcome unknown, and the next delivery says so.
            db.mark_sending(n.id)?;
            let payload = if n.interrupted { redelivery(&n.payload) } else { n.payload.clone() };
            let result = match &n.target {
                Target::Webhook(url) => self.post(&http, url, &n, &payload).await,
                Target::Command(cmd) => self.run(cmd, &payload),
            };
            hook::point("after-deliver");
            match result {
                Ok(()) => {
                    db.mark_delivered(n.id)?;
                    out.delivered += 1;
                }
                Err(why) => {
                    db.mark_failed(n.id, &why, n.interrupted)?;
                    tracing::warn!(
                        "{}: delivery to {} failed: {why}; kept for the next check",
                        n.watch,
                        n.target
                    );
                    out.failures.push(format!("{}: {why} (kept for the next check)", n.target));
                    failed.push(n.target.clone());
                    out.pending += 1;
                }
            }
        }
        Ok(out)
    }

    /// POSTs the payload; retries 5xx, 429, timeouts and connection errors with backoff.
    async fn post(
        &self,
        http: &reqwest::Client,
        url: &str,
        n: &Notification,
        payload: &str,
    ) -> std::result::Result<(), String> {
        let id = serde_json::from_str::<Value>(payload)
            .ok()
            .and_then(|v| v.get("id").and_then(Value::as_str).map(String::from))
            .unwrap_or_else(|| n.id.to_string());
        let mut tries = 0;
        loop {
            tries += 1;
            let sent = http
                .post(url)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .header("Idempotency-Key", &id)
                .body(payload.to_string())
                .send()
                .await;
            let why = match sent {
                Ok(resp) if resp.status().is_success() => return Ok(()),
                Ok(resp) => {
                    let status = resp.status().as_u16();
                    if !(status >= 500 || status == 429) {
                        return Err(format!("the webhook answered {status}"));
                    }
                    format!("the webhook answered {status}")
                }
                Err(e) if e.is_builder() => return Err(format!("not a valid webhook URL: {e}")),
                Err(e) if e.is_timeout() => {
                    format!("timed out after {:.0} s", self.limits.timeout.as_secs_f64())
                }
                Err(e) => format!("could not reach the webhook: {}", innermost(&e)),
            };
            if tries >= self.limits.max_tries {
                return Err(format!("{why} ({tries} tries)"));
            }
            let delay = self.limits.backoff(tries);
            tracing::info!("{}: {why}; retrying in {:.1} s", n.watch, delay.as_secs_f64());
            tokio::time::sleep(delay).await;
        }
    }

    /// Runs `sh -c CMD` with the payload on standard input (its output goes to stderr);
    /// exit status 0 is a delivery.
    fn run(&self, cmd: &str, text: &str) -> std::result::Result<(), String> {
        let payload: Value = serde_json::from_str(text).unwrap_or(Value::Null);
        let field = |k: &str| payload.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(cmd)
            .env("POLICYDIFF_WATCH", field("watch"))
            .env("POLICYDIFF_URL", field("url"))
            .env("POLICYDIFF_TEXT", field("text"))
            .stdin(Stdio::piped())
            .stdout(Stdio::from(std::io::stderr()))
            .spawn()
            .map_err(|e| format!("cannot run it: {e}"))?;
        if let Some(mut stdin) = child.stdin.take() {
            // A command that does not read its input is its own business.
            let _ = stdin.write_all(text.as_bytes()).and_then(|_| stdin.write_all(b"\n"));
        }
        let start = Instant::now();
        loop {
            match child.try_wait() {
                Ok(Some(status)) if status.success() => return Ok(()),
                Ok(Some(status)) => return Err(format!("it exited with {status}")),
                Ok(None) if start.elapsed() > self.limits.timeout => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(format!(
                        "it ran longer than {:.0} s and was stopped",
                        self.limits.timeout.as_secs_f64()
                    ));
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(10)),
                Err(e) => return Err(e.to_string()),
            }
        }
    }
}

/// The payload of a notification whose earlier delivery was interrupted (the check
/// was killed between beginning it and recording its outcome): the same `id`, with
/// `"redelivery": true` and a `text` saying that the receiver may have had it already,
/// so that a receiver keeping no ids (a chat channel) shows the repeat as one.
pub fn redelivery(payload: &str) -> String {
    let Ok(mut v) = serde_json::from_str::<Value>(payload) else { return payload.to_string() };
    if let Some(text) = v.get("text").and_then(Value::as_str) {
        v["text"] =
            json!(format!("{text} (sent again: an earlier delivery was interrupted and may have arrived)"));
    }
    v["redelivery"] = json!(true);
    v.to_string()
}

fn innermost(e: &reqwest::Error) -> String {
    let mut source: &dyn std::error::Error = e;
    while let Some(s) = source.source() {
        source = s;
    }
    source.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step() -> Value {
        json!({
            "from_version": 0, "to_version": 1, "reverts_to": null,
            "window": {"after": "20240302101010", "before": "20240309121212"},
            "summary": {"added": 1, "removed": 0, "reworded": 3, "moved": 0,
                        "sections_added": 0, "sections_removed": 0, "sections_renamed": 0}
        })
    }

    #[test]
    fn the_text_is_one_line_with_counts_and_window() {
        assert_eq!(
            text("Example privacy policy", &step()),
            "Example privacy policy: 3 clauses reworded, 1 added (between 2024-03-02 and 2024-03-09)"
        );
        let mut one = step();
        one["summary"]["reworded"] = json!(0);
        one["reverts_to"] = json!(0);
        assert_eq!(
            text("x", &one),
            "x: 1 clause added, back to version 0 (between 2024-03-02 and 2024-03-09)"
        );
    }

    #[test]
    fn a_step_that_only_splits_or_merges_sections_says_so() {
        let mut split = step();
        for kind in ["added", "reworded"] {
            split["summary"][kind] = json!(0);
        }
        split["summary"]["sections_split"] = json!(1);
        assert_eq!(summary_phrase(&split["summary"]), "1 section split");
        assert_eq!(text("x", &split), "x: 1 section split (between 2024-03-02 and 2024-03-09)");
        split["summary"]["sections_merged"] = json!(2);
        assert_eq!(summary_phrase(&split["summary"]), "1 section split, 2 sections merged");
    }

    #[test]
    fn the_payload_holds_watch_url_step_text_and_a_stable_id() {
        let p = payload("ex", "https://example.com/privacy", &step());
        assert_eq!(p["schema"], SCHEMA);
        assert_eq!(p["id"], "https://example.com/privacy#20240309121212");
        assert_eq!(p["step"], step());
        assert_eq!(p["watch"], "ex");
        assert_eq!(p["url"], "https://example.com/privacy");
    }
}
