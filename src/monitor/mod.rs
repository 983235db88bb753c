//! Monitoring for cron (`watch`, `check`), with state that survives crashes.
//!
//! - [`state`]: the SQLite database `<store>/policydiff.db` (watches, versions, steps,
//!   the notifications outbox), one transaction per change of state.
//! - [`check`]: one check of one watch, an incremental changelog against the last
//!   recorded version (reusing [`crate::history`]), recorded in one transaction.
//! - [`live`]: the live page of a `--live` watch (conditional GET, robots.txt).
//! - [`lock`]: one check at a time per store; a killed check never blocks the next.
//! - [`notify`]: the `policydiff.check/1` document and its delivery (webhook, command),
//!   retried, never lost, marked delivered only once it was.
//! - [`hook`]: pause points for the crash tests.
//!
//! What this module does not do: parse command lines or print (see
//! `commands::watch` and `commands::check`).

pub mod check;
pub mod hook;
pub mod live;
pub mod lock;
pub mod notify;
pub mod state;
