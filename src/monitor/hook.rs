//! A pause point for the crash tests: with `POLICYDIFF_TEST_PAUSE_AT=<point>` in the
//! environment, a check that reaches `<point>` says so on stderr and stops there until
//! it is killed, so a test can SIGKILL it at an exact place (before the transaction
//! that records a step, after it, between a delivery and its mark). Without the
//! variable, a point costs one environment lookup.

/// The named places a check can be paused at.
pub const POINTS: &[&str] = &["before-record", "after-record", "before-deliver", "after-deliver"];

/// Pauses forever here if the environment asks for `point`.
pub fn point(point: &str) {
    debug_assert!(POINTS.contains(&point), "unknown pause point {point}");
    if std::env::var("POLICYDIFF_TEST_PAUSE_AT").is_ok_and(|p| p == point) {
        eprintln!("policydiff: paused at {point} (POLICYDIFF_TEST_PAUSE_AT)");
        loop {
            std::thread::sleep(std::time::Duration::from_secs(3600));
        }
    }
}
