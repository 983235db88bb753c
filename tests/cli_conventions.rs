//! Help, usage errors and the command-line conventions (issue #11 items 2, 3, 5, 6, 9, 12):
//! each test is named after the behaviour it pins.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn policydiff(args: &[&str]) -> Output {
    cmd(args).output().expect("runs")
}

fn cmd(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_policydiff"));
    c.args(args).env_remove("RUST_LOG").env_remove("POLICYDIFF_OFFLINE").env_remove("POLICYDIFF_STORE");
    c
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn snapshots() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots").to_string_lossy().into_owned()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

const OLD: &str = "# Privacy Policy\n\n## Cookies\n\nWe may share data with partners.\n";
const NEW: &str = "# Privacy Policy\n\n## Cookies\n\nWe will share data with partners.\n";

#[test]
fn usage_errors_are_one_line_with_exit_2() {
    for args in
        [&["diff", "--frm", "2018", "a", "b"][..], &["dif"], &["diff"], &["check", "--max-time", "5x"]]
    {
        let o = policydiff(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let e = err(&o);
        assert_eq!(e.lines().count(), 1, "{args:?}: {e}");
        assert!(e.starts_with("policydiff: ") && e.contains("--help"), "{e}");
    }
}

#[test]
fn every_command_help_shows_examples_and_exit_statuses() {
    let commands: &[&[&str]] = &[
        &[],
        &["captures"],
        &["fetch"],
        &["text"],
        &["diff"],
        &["changelog"],
        &["watch"],
        &["watch", "add"],
        &["watch", "list"],
        &["watch", "remove"],
        &["check"],
        &["completions"],
        &["manpage"],
    ];
    for c in commands {
        let mut args = c.to_vec();
        args.push("--help");
        let o = policydiff(&args);
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        let help = out(&o);
        assert!(help.contains("Examples:"), "{args:?}: {help}");
        assert!(help.contains("Exit status:"), "{args:?}: {help}");
        // Each example is one command line (or continued with a backslash), never cut by
        // the help's wrapping: it can be copied as it stands.
        let examples = help.split("Examples:\n").nth(1).unwrap().split("\n\n").next().unwrap();
        let mut continued = false;
        for line in examples.lines() {
            let starts = ["  policydiff ", "  curl "].iter().any(|p| line.starts_with(p));
            assert!(
                starts || (continued && line.starts_with("      ")),
                "{args:?}: a cut example line: {line:?}"
            );
            assert!(
                line.chars().count() <= 80,
                "{args:?}: wider than 80 columns, cut on a terminal: {line:?}"
            );
            continued = line.ends_with('\\');
        }
    }
}

#[test]
fn diff_help_explains_date_and_url_at_date_and_groups_global_options() {
    let help = out(&policydiff(&["diff", "--help"]));
    assert!(help.contains("URL@DATE (the capture of URL closest to DATE)"), "{help}");
    assert!(help.contains("DATE is 2018, 2018-05"), "{help}");
    let (own, global) = help.split_once("Global options:").expect("a heading of its own");
    assert!(own.contains("--from <DATE>") && !own.contains("--store"), "{own}");
    assert!(global.contains("--store <DIR>") && global.contains("--offline"), "{global}");
}

#[test]
fn completions_are_printed_for_bash_zsh_and_fish() {
    for (shell, mark) in
        [("bash", "complete -F"), ("zsh", "#compdef policydiff"), ("fish", "complete -c policydiff")]
    {
        let o = policydiff(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0));
        let text = out(&o);
        assert!(text.contains(mark) && text.contains("changelog"), "{shell}");
    }
}

#[test]
fn man_page_has_every_command() {
    let o = policydiff(&["manpage"]);
    assert_eq!(o.status.code(), Some(0));
    let roff = out(&o);
    assert!(roff.starts_with(".ie") || roff.contains(".TH policydiff 1"), "{}", &roff[..200.min(roff.len())]);
    for c in ["CAPTURES", "FETCH", "TEXT", "DIFF", "CHANGELOG", "WATCH", "CHECK"] {
        assert!(roff.contains(&format!(".SH \"POLICYDIFF {c}\"")), "{c}");
    }
}

#[test]
fn dash_reads_standard_input() {
    let mut child = cmd(&["text", "-"]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(OLD.as_bytes()).unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(out(&o).contains("We may share data with partners."), "{}", out(&o));
}

#[test]
fn dash_output_is_standard_output_and_the_format_follows_the_extension() {
    let d = tempfile::tempdir().unwrap();
    let (a, b) = (write(d.path(), "a.md", OLD), write(d.path(), "b.md", NEW));
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    let o = policydiff(&["diff", a, b, "-o", "-", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains("\"schema\": \"policydiff.diff/1\""));
    assert!(!d.path().join("-").exists());
    for (name, start) in [("r.html", "<!DOCTYPE html>"), ("r.json", "{"), ("r.md", "# Changes to")] {
        let to = d.path().join(name);
        let o = policydiff(&["diff", a, b, "-o", to.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{}", err(&o));
        assert!(std::fs::read_to_string(&to).unwrap().starts_with(start), "{name}");
    }
    // The changelog too, .atom for its feed.
    for (name, start) in [("c.html", "<!DOCTYPE html>"), ("c.json", "{"), ("c.atom", "<?xml"), ("c.md", "# ")]
    {
        let to = d.path().join(name);
        let o = policydiff(&["changelog", a, b, "-o", to.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{}", err(&o));
        assert!(std::fs::read_to_string(&to).unwrap().starts_with(start), "{name}");
    }
    // --format says otherwise: it wins.
    let to = d.path().join("r2.html");
    policydiff(&["diff", a, b, "-o", to.to_str().unwrap(), "--format", "markdown"]);
    assert!(std::fs::read_to_string(&to).unwrap().starts_with("# Changes to"));
}

#[test]
fn brief_mode_prints_nothing_and_exits_with_the_status() {
    let d = tempfile::tempdir().unwrap();
    let (a, b) = (write(d.path(), "a.md", OLD), write(d.path(), "b.md", NEW));
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    for flag in ["-q", "--brief"] {
        let changed = policydiff(&[flag, "diff", a, b]);
        assert_eq!(
            (changed.status.code(), out(&changed).as_str(), err(&changed).as_str()),
            (Some(1), "", "")
        );
        let same = policydiff(&["diff", a, a, flag]);
        assert_eq!((same.status.code(), out(&same).as_str()), (Some(0), ""));
    }
}

#[test]
fn brief_mode_is_the_same_on_every_command_nothing_but_errors_and_the_status() {
    let d = tempfile::tempdir().unwrap();
    let (a, b) = (write(d.path(), "a.md", OLD), write(d.path(), "b.md", NEW));
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    let store = d.path().join("store");
    let store = store.to_str().unwrap();
    let nakivo = "https://www.nakivo.com/en/privacy.html";
    let quiet: &[(&[&str], i32)] = &[
        (&["changelog", a, b], 1),
        (&["changelog", a, a], 0),
        (&["text", a], 0),
        (&["text", "--format", "json", a, b], 0),
        (&["--store", &snapshots(), "--offline", "captures", nakivo], 0),
        (&["--store", store, "watch", "add", "https://example.com/privacy", "--name", "ex"], 0),
        (&["--store", store, "watch", "list"], 0),
        (&["--store", store, "watch", "remove", "ex"], 0),
        (&["completions", "bash"], 0),
        (&["manpage"], 0),
    ];
    for (args, status) in quiet {
        let mut all = vec!["-q"];
        all.extend_from_slice(args);
        let o = policydiff(&all);
        assert_eq!(
            (o.status.code(), out(&o).as_str(), err(&o).as_str()),
            (Some(*status), "", ""),
            "{args:?}"
        );
        // Without -q the same command does print: -q is what silenced it.
        if !args.contains(&"add") && !args.contains(&"remove") {
            assert!(!out(&policydiff(args)).is_empty(), "{args:?} prints nothing without -q");
        }
    }
    // Errors still come, as one line, with status 2.
    let missing = d.path().join("missing.md");
    let o = policydiff(&["-q", "text", missing.to_str().unwrap()]);
    assert_eq!((o.status.code(), out(&o).as_str()), (Some(2), ""));
    assert_eq!(err(&o).lines().count(), 1, "{}", err(&o));
    // A report named with -o is still written: it was asked for by name.
    for command in ["diff", "changelog"] {
        let to = d.path().join(format!("{command}.html"));
        let o = policydiff(&["--brief", command, a, b, "-o", to.to_str().unwrap()]);
        assert_eq!((o.status.code(), out(&o).as_str(), err(&o).as_str()), (Some(1), "", ""), "{command}");
        assert!(std::fs::read_to_string(&to).unwrap().starts_with("<!DOCTYPE html>"), "{command}");
    }
    // -o - is standard output, and -q keeps it quiet.
    let o = policydiff(&["-q", "diff", a, b, "-o", "-"]);
    assert_eq!((o.status.code(), out(&o).as_str()), (Some(1), ""));
}

#[test]
fn brief_check_prints_a_failed_watch_on_stderr_only() {
    let d = tempfile::tempdir().unwrap();
    let store = d.path().to_str().unwrap();
    let add = policydiff(&["--store", store, "watch", "add", "https://example.com/privacy", "--name", "ex"]);
    assert_eq!(add.status.code(), Some(0), "{}", err(&add));
    // An archive that refuses every listing: the watch fails at once.
    let archive = refusing_archive();
    let o = policydiff(&["--store", store, "--wayback-url", &archive, "-q", "check"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert_eq!(out(&o), "");
    assert!(err(&o).starts_with("policydiff: ex: error: "), "{}", err(&o));
    assert_eq!(err(&o).lines().count(), 1, "{}", err(&o));
}

/// A stand-in archive on 127.0.0.1 that answers every request 403 (no retry is due).
fn refusing_archive() -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for mut conn in listener.incoming().flatten() {
            let mut buf = [0u8; 4096];
            let _ = conn.read(&mut buf);
            let _ =
                conn.write_all(b"HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
        }
    });
    url
}

#[test]
fn one_capture_is_singular() {
    let o = policydiff(&[
        "--store",
        &snapshots(),
        "--offline",
        "captures",
        "https://www.nakivo.com/en/privacy.html",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).ends_with("\n1 capture\n"), "{}", out(&o));
}

#[test]
fn from_after_to_is_rejected_with_exit_2() {
    let url = "https://www.nakivo.com/en/privacy.html";
    for args in [
        &["captures", url, "--from", "2019", "--to", "2010"][..],
        &["diff", url, "--from", "2019", "--to", "2010"],
        &["fetch", url, "--from", "2019", "--to", "2010"],
    ] {
        let mut all = vec!["--store", "/nonexistent-store", "--offline"];
        all.extend_from_slice(args);
        let o = policydiff(&all);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(err(&o).contains("--from 2019 is after --to 2010"), "{}", err(&o));
    }
}

#[test]
fn a_date_outside_every_capture_warns_naming_the_capture_used() {
    let s = snapshots();
    let o = policydiff(&[
        "--store",
        &s,
        "--offline",
        "diff",
        "https://www.nakivo.com/en/privacy.html@2099",
        "https://www.nakivo.com/support/privacy-policy@2017",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let e = err(&o);
    assert!(e.contains("no capture in 2099; using the nearest, 20151104030641 (2015-11-04"), "{e}");
    assert_eq!(e.lines().count(), 1, "the 2017 side is inside its span: {e}");
}

#[test]
fn from_and_to_resolving_to_one_capture_say_so() {
    let s = snapshots();
    let url = "https://www.nakivo.com/en/privacy.html";
    let o = policydiff(&["--store", &s, "--offline", "diff", url, "--from", "2015-01", "--to", "2015-11"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(err(&o).contains("both resolve to the capture 20151104030641"), "{}", err(&o));
}

#[cfg(unix)]
#[test]
fn fifo_and_device_inputs_are_refused_at_once() {
    let d = tempfile::tempdir().unwrap();
    let fifo = d.path().join("fifo");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    for input in [fifo.to_str().unwrap(), "/dev/zero"] {
        let o = policydiff(&["text", input]);
        assert_eq!(o.status.code(), Some(2), "{input}");
        assert!(err(&o).contains("is not a regular file"), "{}", err(&o));
        assert_eq!(err(&o).lines().count(), 1);
    }
}

#[test]
fn input_larger_than_the_limit_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let big = write(d.path(), "big.md", &format!("# Policy\n\n{}\n", "We collect data. ".repeat(200)));
    let o = policydiff(&["--max-input-size", "1k", "text", big.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("larger than the input limit of 1 KB (raise it with --max-input-size)"),
        "{}",
        err(&o)
    );
    let mut child = cmd(&["--max-input-size", "1k", "text", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    let _ = child.stdin.take().unwrap().write_all(&vec![b'a'; 4096]);
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("-: is larger than the input limit"), "{}", err(&o));
    assert!(policydiff(&["text", big.to_str().unwrap()]).status.success(), "under the default limit");
}

#[test]
fn markdown_of_one_heading_and_one_item_is_a_document() {
    let d = tempfile::tempdir().unwrap();
    let f = write(d.path(), "one.md", "# Privacy\n\n- Cookies\n");
    let o = policydiff(&["text", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).contains("Cookies"));
}

#[test]
fn markdown_report_inserted_words_are_not_bold_and_text_is_escaped() {
    let d = tempfile::tempdir().unwrap();
    let a = write(d.path(), "a`b.md", OLD);
    let b = write(d.path(), "b.md", &NEW.replace("partners.", "partners & affiliates."));
    let o = policydiff(&["diff", a.to_str().unwrap(), b.to_str().unwrap(), "--format", "markdown"]);
    let md = out(&o);
    assert!(md.contains("<ins>will</ins>") && !md.contains("**will**"), "{md}");
    assert!(md.contains("\\&"), "an ampersand cannot start an entity: {md}");
    let old_line = md.lines().find(|l| l.starts_with("- Old: ")).unwrap();
    assert!(
        old_line.contains("``") && old_line.contains("a`b.md"),
        "a backtick stays inside the code span: {old_line}"
    );
}

#[test]
fn control_characters_never_reach_the_terminal() {
    let d = tempfile::tempdir().unwrap();
    let a = write(d.path(), "a.md", "# Policy\n\nWe keep data \u{1b}]52;c;cHduZWQ=\u{7} for 30 days.\n");
    let b = write(d.path(), "b\u{1b}[2J.md", "# Policy\n\nWe keep data \u{1b}[2J\u{9b}31m for 90 days.\n");
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    for args in [
        &["text", a][..],
        &["diff", a, b, "--format", "terminal", "--color", "always"],
        &["diff", a, b, "--format", "markdown"],
        &["text", "/missing\u{1b}]0;title\u{7}.md"],
    ] {
        let o = policydiff(args);
        let all = format!("{}{}", out(&o), err(&o));
        let raw: Vec<char> = all.chars().filter(|c| c.is_control() && !matches!(c, '\n' | '\t')).collect();
        // --color always adds SGR codes of its own: only `ESC [ … m` may remain.
        let ours = all.matches("\u{1b}[").count();
        assert!(raw.iter().filter(|c| **c != '\u{1b}').count() == 0, "{args:?}: {all:?}");
        assert_eq!(raw.len(), ours, "{args:?}: {all:?}");
        assert!(!all.contains("\u{1b}]") && !all.contains("\u{1b}[2J"), "{args:?}: {all:?}");
        assert!(all.contains("\\x1b"), "shown escaped: {args:?}: {all:?}");
    }
}
