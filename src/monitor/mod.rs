//! Monitoring for cron (`watch`, `check`), with state that survives crashes.
//!
//! - [`state`]: the SQLite database `<store>/policydiff.db` (watches, versions, steps,
//!   the notifications outbox), one transaction per change of state.
//! - [`lock`]: one check at a time per store; a killed check never blocks the next.
//! - [`notify`]: the `policydiff.check/1` document and its delivery (webhook, command),
//!   retried, never lost, marked delivered only once it was.
//! - [`hook`]: pause points for the crash tests.

pub mod hook;
pub mod lock;
pub mod notify;
pub mod state;
