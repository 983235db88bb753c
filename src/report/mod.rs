//! Rendering of diffs and changelogs: terminal, JSON, Markdown, HTML, Atom.
