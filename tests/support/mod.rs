//! A Wayback Machine stand-in on 127.0.0.1 for the integration tests: a tiny HTTP/1.1
//! server (std::net, a thread per connection) that logs every request with its arrival
//! time, answers through a handler, and can misbehave on purpose (429, 503, resets, cut
//! bodies, slow answers). [`Archive`] models a small archive (CDX in JSON or plain text
//! with resume keys, `id_` captures, closest-capture and archived redirects, blocked
//! URLs); [`cassette`] reads the recorded real responses in tests/fixtures/wayback/.
#![allow(dead_code)]

pub mod history;
pub mod hostile;
pub mod webhook;

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One request as the stand-in saw it.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: HashMap<String, String>,
    /// Arrival time since the stand-in started.
    pub at: Duration,
    /// How many times this exact target was requested before.
    pub nth: usize,
}

impl Request {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
    pub fn params(&self, name: &str) -> Vec<&str> {
        self.query.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
    }
    pub fn is_cdx(&self) -> bool {
        self.path.starts_with("/cdx/")
    }
    pub fn is_capture(&self) -> bool {
        self.path.starts_with("/web/")
    }
}

/// What the stand-in does with a request.
#[derive(Debug, Clone)]
pub enum Reply {
    Answer {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Close the connection without answering.
    Reset,
    /// Promise `promised` bytes in Content-Length, send `body`, close.
    CutShort {
        body: Vec<u8>,
        promised: usize,
    },
    /// Wait, then reply.
    Slow(Duration, Box<Reply>),
}

impl Reply {
    pub fn ok(body: impl Into<Vec<u8>>) -> Reply {
        Reply::Answer { status: 200, headers: vec![], body: body.into() }
    }
    pub fn status(status: u16) -> Reply {
        Reply::Answer { status, headers: vec![], body: Vec::new() }
    }
    pub fn with_header(self, name: &str, value: &str) -> Reply {
        match self {
            Reply::Answer { status, mut headers, body } => {
                headers.push((name.into(), value.into()));
                Reply::Answer { status, headers, body }
            }
            other => other,
        }
    }
}

type Handler = dyn Fn(&Request) -> Reply + Send + Sync;

/// The running stand-in. It lives until the test process ends.
pub struct StandIn {
    pub base: String,
    log: Arc<Mutex<Vec<Request>>>,
}

impl StandIn {
    pub fn start(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> StandIn {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let base = format!("http://{}", listener.local_addr().unwrap());
        let log: Arc<Mutex<Vec<Request>>> = Arc::default();
        let handler: Arc<Handler> = Arc::new(handler);
        let start = Instant::now();
        let (log2, counts) = (log.clone(), Arc::new(Mutex::new(HashMap::<String, usize>::new())));
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (log, handler, counts) = (log2.clone(), handler.clone(), counts.clone());
                std::thread::spawn(move || serve(stream, start, &log, &counts, &*handler));
            }
        });
        StandIn { base, log }
    }

    pub fn requests(&self) -> Vec<Request> {
        self.log.lock().unwrap().clone()
    }
    pub fn capture_requests(&self) -> Vec<Request> {
        self.requests().into_iter().filter(Request::is_capture).collect()
    }
    pub fn cdx_requests(&self) -> Vec<Request> {
        self.requests().into_iter().filter(Request::is_cdx).collect()
    }
}

fn serve(
    stream: TcpStream,
    start: Instant,
    log: &Mutex<Vec<Request>>,
    counts: &Mutex<HashMap<String, usize>>,
    handler: &Handler,
) {
    let at = start.elapsed();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let target = parts.next().unwrap_or_default().to_string();
    let headers = read_headers(&mut reader);
    let (path, query) = match target.split_once('?') {
        Some((p, q)) if !p.starts_with("/web/") => (p.to_string(), parse_query(q)),
        _ => (target.clone(), Vec::new()),
    };
    let nth = {
        let mut c = counts.lock().unwrap();
        let n = c.entry(target.clone()).or_default();
        *n += 1;
        *n - 1
    };
    let request = Request { method, target, path, query, headers, at, nth };
    log.lock().unwrap().push(request.clone());
    let reply = handler(&request);
    write_reply(stream, reply);
}

/// The header lines of a request, up to the blank line, by lower-case name.
pub fn read_headers(reader: &mut impl BufRead) -> HashMap<String, String> {
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    headers
}

fn write_reply(mut stream: TcpStream, reply: Reply) {
    match reply {
        Reply::Slow(delay, inner) => {
            std::thread::sleep(delay);
            write_reply(stream, *inner);
        }
        Reply::Reset => {
            let _ = stream.shutdown(std::net::Shutdown::Both);
        }
        Reply::CutShort { body, promised } => {
            let head = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {promised}\r\nConnection: close\r\nMemento-Datetime: Mon, 01 Jan 2018 00:00:00 GMT\r\n\r\n");
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
            let _ = stream.flush();
            let _ = stream.shutdown(std::net::Shutdown::Both);
        }
        Reply::Answer { status, headers, body } => {
            let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
            for (k, v) in &headers {
                if !k.eq_ignore_ascii_case("content-length") && !k.eq_ignore_ascii_case("transfer-encoding") {
                    head.push_str(&format!("{k}: {v}\r\n"));
                }
            }
            head.push_str(&format!("Content-Length: {}\r\nConnection: close\r\n\r\n", body.len()));
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
            let _ = stream.flush();
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        503 => "Service Unavailable",
        _ => "Whatever",
    }
}

pub fn parse_query(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let dec = |s: &str| percent_decode(&s.replace('+', " "));
            (dec(k), dec(v))
        })
        .collect()
}

pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// SHA-1 base32, as the CDX server writes digests.
pub fn digest(body: &[u8]) -> String {
    policydiff::store::sha1_base32(body)
}

/// One capture in the model archive.
#[derive(Debug, Clone)]
pub struct Memento {
    pub url: String,
    pub timestamp: String,
    pub body: Vec<u8>,
    pub content_type: String,
    /// An archived redirect: the page answered this status and Location when crawled.
    pub redirect_to: Option<(u16, String)>,
    /// Listed by CDX but played back as a redirect to the closest capture (this one).
    pub plays_as: Option<String>,
    /// Shown in CDX listings.
    pub listed: bool,
}

/// A small archive: CDX listings and `id_` playback with the archive's redirects.
#[derive(Debug, Default, Clone)]
pub struct Archive {
    pub mementos: Vec<Memento>,
    pub blocked: Vec<String>,
    /// Plain-text CDX instead of JSON.
    pub plain: bool,
}

impl Archive {
    pub fn add(&mut self, url: &str, timestamp: &str, body: &[u8]) -> &mut Self {
        self.mementos.push(Memento {
            url: url.into(),
            timestamp: timestamp.into(),
            body: body.to_vec(),
            content_type: "text/html; charset=utf-8".into(),
            redirect_to: None,
            plays_as: None,
            listed: true,
        });
        self
    }

    pub fn redirect(&mut self, url: &str, timestamp: &str, status: u16, to: &str) -> &mut Self {
        self.mementos.push(Memento {
            url: url.into(),
            timestamp: timestamp.into(),
            body: Vec::new(),
            content_type: "text/html".into(),
            redirect_to: Some((status, to.into())),
            plays_as: None,
            listed: true,
        });
        self
    }

    /// The body of `url` at `timestamp`.
    pub fn body(&self, url: &str, timestamp: &str) -> Vec<u8> {
        self.mementos.iter().find(|m| m.url == url && m.timestamp == timestamp).unwrap().body.clone()
    }

    pub fn answer(&self, req: &Request) -> Reply {
        if req.is_cdx() {
            self.cdx(req)
        } else if req.is_capture() {
            self.capture(req)
        } else {
            Reply::status(404)
        }
    }

    fn cdx(&self, req: &Request) -> Reply {
        let url = req.param("url").unwrap_or_default().to_string();
        if self.blocked.contains(&url) {
            return Reply::status(403).with_header(
                "X-Archive-Wayback-Runtime-Error",
                "org.archive.wayback.exception.AdministrativeAccessControlException: Blocked Site Error",
            );
        }
        let from = req.param("from").unwrap_or("0");
        let to = req.param("to").unwrap_or("99999999999999");
        let mut rows: Vec<&Memento> = self
            .mementos
            .iter()
            .filter(|m| {
                m.listed && m.url == url && m.timestamp.as_str() >= from && m.timestamp.as_str() <= to
            })
            .collect();
        rows.sort_by(|a, b| a.timestamp.cmp(&b.timestamp));
        let start: usize = req.param("resumeKey").and_then(|k| k.parse().ok()).unwrap_or(0);
        let limit: usize = req.param("limit").and_then(|l| l.parse().ok()).unwrap_or(usize::MAX);
        let page: Vec<&&Memento> = rows.iter().skip(start).take(limit).collect();
        let more = start + page.len() < rows.len();
        let row = |m: &Memento| {
            let status = m.redirect_to.as_ref().map_or(200, |r| r.0);
            let key = format!("{}/", m.url.replace("https://", "").replace("http://", ""));
            [
                key,
                m.timestamp.clone(),
                m.url.clone(),
                "text/html".into(),
                status.to_string(),
                digest(&m.body),
                m.body.len().to_string(),
            ]
        };
        let body = if self.plain || req.param("output") != Some("json") {
            let mut s: String = page.iter().map(|m| row(m).join(" ") + "\n").collect();
            if more {
                s.push_str(&format!("\n{}\n", start + page.len()));
            }
            s
        } else {
            let mut all = vec![serde_json::json!([
                "urlkey",
                "timestamp",
                "original",
                "mimetype",
                "statuscode",
                "digest",
                "length"
            ])];
            all.extend(page.iter().map(|m| serde_json::json!(row(m))));
            if more {
                all.push(serde_json::json!([]));
                all.push(serde_json::json!([(start + page.len()).to_string()]));
            }
            serde_json::to_string(&all).unwrap()
        };
        Reply::ok(body).with_header("Content-Type", "text/plain; charset=UTF-8")
    }

    fn capture(&self, req: &Request) -> Reply {
        let rest = &req.target["/web/".len()..];
        let (stamp, url) = rest.split_once('/').unwrap_or((rest, ""));
        let ts: String = stamp.chars().take_while(char::is_ascii_digit).collect();
        if self.blocked.iter().any(|b| b == url) {
            return Reply::status(403).with_header(
                "X-Archive-Wayback-Runtime-Error",
                "org.archive.wayback.exception.AdministrativeAccessControlException: Blocked Site Error",
            );
        }
        let of_url: Vec<&Memento> = self.mementos.iter().filter(|m| m.url == url).collect();
        if of_url.is_empty() {
            return Reply::Answer {
                status: 404,
                headers: vec![("Content-Type".into(), "text/html".into())],
                body: b"<p>The Wayback Machine has not archived that URL.</p>".to_vec(),
            };
        }
        let exact = of_url.iter().find(|m| m.timestamp == ts);
        let m = match exact {
            Some(m) if m.plays_as.is_none() => m,
            Some(m) => {
                let to = m.plays_as.clone().unwrap();
                return Reply::status(302).with_header("Location", &format!("/web/{to}id_/{url}"));
            }
            None => {
                // Closest capture: the archive redirects, without Memento-Datetime.
                let closest = of_url.iter().min_by_key(|m| (num(&m.timestamp) - num(&ts)).abs()).unwrap();
                return Reply::status(302)
                    .with_header("Location", &format!("/web/{}id_/{url}", closest.timestamp));
            }
        };
        let memento_dt = "Mon, 01 Jan 2018 00:00:00 GMT";
        if let Some((status, to)) = &m.redirect_to {
            return Reply::status(*status)
                .with_header("Location", &format!("/web/{}id_/{to}", m.timestamp))
                .with_header("Memento-Datetime", memento_dt);
        }
        Reply::ok(m.body.clone())
            .with_header("Content-Type", &m.content_type)
            .with_header("X-Archive-Orig-Content-Type", &m.content_type)
            .with_header("X-Archive-Orig-Server", "Apache")
            .with_header("Memento-Datetime", memento_dt)
    }
}

fn num(ts: &str) -> i64 {
    // Good enough ordering for closeness in tests.
    ts.parse::<i64>().unwrap_or(0)
}

/// One recorded interaction of a VCR cassette.
#[derive(Debug, Clone)]
pub struct Interaction {
    pub uri: String,
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wayback")
}

/// Reads `tests/fixtures/wayback/<name>` (a VCR.py cassette; bodies may be `!!binary`).
pub fn cassette(name: &str) -> Vec<Interaction> {
    use base64::Engine;
    let text = std::fs::read_to_string(fixtures().join(name)).unwrap();
    let doc: serde_norway::Value = serde_norway::from_str(&text).unwrap();
    // serde_norway drops the `!!binary` tag; the text says which bodies carry it (each
    // interaction has one response `string:` line, in order).
    let binary: Vec<bool> = text
        .lines()
        .filter(|l| l.trim_start().starts_with("string:"))
        .map(|l| l.contains("!!binary"))
        .collect();
    let mut out = Vec::new();
    for (n, i) in doc["interactions"].as_sequence().unwrap().iter().enumerate() {
        let r = &i["response"];
        let body = match &r["body"]["string"] {
            serde_norway::Value::String(s) if binary[n] => {
                let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
                base64::engine::general_purpose::STANDARD.decode(s).unwrap()
            }
            serde_norway::Value::String(s) => s.as_bytes().to_vec(),
            other => panic!("unexpected body {other:?}"),
        };
        let mut headers = Vec::new();
        if let Some(map) = r["headers"].as_mapping() {
            for (k, v) in map {
                for v in v.as_sequence().unwrap() {
                    headers
                        .push((k.as_str().unwrap().to_string(), v.as_str().unwrap_or_default().to_string()));
                }
            }
        }
        out.push(Interaction {
            uri: i["request"]["uri"].as_str().unwrap().to_string(),
            status: r["status"]["code"].as_u64().unwrap() as u16,
            headers,
            body,
        });
    }
    out
}

impl Interaction {
    /// The recorded answer, with archive URLs in Location pointing at `base`.
    pub fn reply(&self, base: &str) -> Reply {
        let headers = self
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), v.replace("https://web.archive.org", base)))
            .collect();
        Reply::Answer { status: self.status, headers, body: self.body.clone() }
    }
    /// Path and query, without the recorded host.
    pub fn target(&self) -> String {
        self.uri.replace("https://web.archive.org", "")
    }
}

/// Serves recorded captures by exact target, and a CDX row for each 200 capture URL given.
pub fn serve_cassette(interactions: Vec<Interaction>, cdx_rows: Vec<(String, String)>) -> StandIn {
    let base_cell: Arc<Mutex<String>> = Arc::default();
    let cell = base_cell.clone();
    let standin = StandIn::start(move |req| {
        let base = cell.lock().unwrap().clone();
        if req.is_cdx() {
            let url = req.param("url").unwrap_or_default();
            let mut rows = vec![serde_json::json!([
                "urlkey",
                "timestamp",
                "original",
                "mimetype",
                "statuscode",
                "digest",
                "length"
            ])];
            for (u, ts) in &cdx_rows {
                if u == url {
                    rows.push(serde_json::json!(["k", ts, u, "text/html", "200", "AAAA", "1"]));
                }
            }
            return Reply::ok(serde_json::to_string(&rows).unwrap());
        }
        match interactions.iter().find(|i| i.target() == req.target) {
            Some(i) => i.reply(&base),
            None => Reply::status(404),
        }
    });
    *base_cell.lock().unwrap() = standin.base.clone();
    standin
}

/// Test limits: short waits instead of the real service's minutes.
pub const FAST: &[(&str, &str)] = &[
    ("POLICYDIFF_CDX_RATE", "20"),
    ("POLICYDIFF_CAPTURE_RATE", "20"),
    ("POLICYDIFF_RATE_LIMIT_WAIT_MS", "400"),
    ("POLICYDIFF_RETRY_BASE_MS", "20"),
    ("POLICYDIFF_MAX_TRIES", "4"),
    ("POLICYDIFF_TIMEOUT_MS", "2000"),
    ("POLICYDIFF_CONCURRENCY", "3"),
];

/// The policydiff binary with a store and the stand-in, the test limits plus `env`.
pub fn policydiff_cmd(store: &Path, base: &str, env: &[(&str, &str)], args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_policydiff"));
    for (k, _) in std::env::vars() {
        if k.starts_with("POLICYDIFF_") {
            cmd.env_remove(k);
        }
    }
    cmd.env_remove("RUST_LOG");
    cmd.args(["--store", store.to_str().unwrap(), "--wayback-url", base]);
    cmd.args(args);
    for (k, v) in FAST.iter().chain(env) {
        cmd.env(k, v);
    }
    cmd
}

pub fn policydiff(store: &Path, base: &str, env: &[(&str, &str)], args: &[&str]) -> Output {
    policydiff_cmd(store, base, env, args).output().unwrap()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Every file below `dir` (relative path → bytes), `.locks/` left out.
pub fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(rd) = std::fs::read_dir(dir) else { return };
        for e in rd.flatten() {
            let p = e.path();
            let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
            if rel.starts_with(".locks") {
                continue;
            }
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    walk(dir, dir, &mut out);
    out
}

/// A policy page big enough to normalize, distinct per `n`.
pub fn page(n: usize) -> Vec<u8> {
    format!(
        "<!DOCTYPE html><html><head><title>Privacy Policy</title></head><body><main><h1>Privacy Policy</h1>\
         <h2>Cookies</h2><p>Version {n}. We use cookies to remember your settings and to measure traffic.</p>\
         <h2>Sharing</h2><p>We never sell your personal data to anyone, in version {n}.</p></main></body></html>"
    )
    .into_bytes()
}

/// How much later than it was sent a request may be seen arriving: the stand-in
/// stamps requests when its task runs, and on a loaded 2-core machine that lags
/// the client's send by tens of milliseconds (seen: up to 28 ms at load 13). The limiter's own spacing
/// is tested exactly in `archive::etiquette`'s unit tests.
const ARRIVAL_JITTER: f64 = 0.04;

/// Asserts that no two requests of `reqs`, as they arrived, are closer than the rate
/// allows: request j never arrives sooner than (j−i)·interval after request i, less
/// the arrival jitter of the stand-in.
pub fn assert_rate(reqs: &[Request], per_second: f64) {
    let interval = 1.0 / per_second;
    let times: Vec<f64> = reqs.iter().map(|r| r.at.as_secs_f64()).collect();
    for i in 0..times.len() {
        for j in i + 1..times.len() {
            let min = (j - i) as f64 * interval - ARRIVAL_JITTER;
            assert!(
                times[j] - times[i] >= min,
                "requests {i} and {j} arrived {:.3} s apart; the limit allows no less than {min:.3} s",
                times[j] - times[i]
            );
        }
    }
}

/// The highest rate seen over any two requests (requests−1 over the time between them).
pub fn max_rate(reqs: &[Request]) -> f64 {
    let t: Vec<f64> = reqs.iter().map(|r| r.at.as_secs_f64()).collect();
    let mut best: f64 = 0.0;
    for i in 0..t.len() {
        for j in i + 1..t.len() {
            best = best.max((j - i) as f64 / (t[j] - t[i]).max(1e-6));
        }
    }
    best
}
