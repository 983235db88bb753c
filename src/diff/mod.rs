//! The section-aware differ: align sections, then clauses, and report each clause as
//! added, removed, reworded (with a word-level diff) or moved.
