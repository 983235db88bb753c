//! Exit statuses, as diff(1) and difftastic use them.

/// Success, and (for `diff`, `changelog`, `check`) nothing changed.
pub const SUCCESS: u8 = 0;
/// Success, and changes were found.
pub const CHANGES: u8 = 1;
/// An error: bad arguments, unreadable input, the archive unreachable after retries.
pub const ERROR: u8 = 2;
