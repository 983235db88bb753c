//! Monitoring for cron (`watch`, `check`), with state that survives crashes.
