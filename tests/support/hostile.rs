//! A hostile Wayback stand-in: answers that a well-behaved archive never sends, to pin
//! what policydiff does with them. A body that never ends, a gzip bomb, an empty 200, a
//! huge `Retry-After`, a body that stalls, control characters and 5 KB URLs in CDX
//! fields. It is its own tiny HTTP/1.1 server (std::net, a thread per connection),
//! because an endless or stalled body cannot be a [`super::Reply`].

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the hostile archive does with one request.
#[derive(Debug, Clone)]
pub enum Act {
    /// A complete answer with Content-Length.
    Answer { status: u16, headers: Vec<(String, String)>, body: Vec<u8> },
    /// 200, then bytes for ever (no Content-Length, until the client hangs up).
    Endless,
    /// 200 with Content-Length `promised`, `sent` bytes of it, then silence for `stall`.
    Stall { promised: usize, sent: Vec<u8>, stall: Duration },
}

impl Act {
    /// A capture as the archive plays it back (`Memento-Datetime` and the original type).
    pub fn capture(body: impl Into<Vec<u8>>) -> Act {
        Act::Answer {
            status: 200,
            headers: vec![
                ("Content-Type".into(), "text/html; charset=utf-8".into()),
                ("X-Archive-Orig-Content-Type".into(), "text/html; charset=utf-8".into()),
                ("Memento-Datetime".into(), "Mon, 01 Jan 2018 00:00:00 GMT".into()),
            ],
            body: body.into(),
        }
    }
}

/// A complete answer of the well-behaved stand-in (`Reply::status(302).with_header(…)`),
/// played by the hostile one.
impl From<super::Reply> for Act {
    fn from(reply: super::Reply) -> Act {
        match reply {
            super::Reply::Answer { status, headers, body } => Act::Answer { status, headers, body },
            other => panic!("the hostile archive plays complete answers only, not {other:?}"),
        }
    }
}

/// A CDX answer (JSON) listing `(timestamp, original)` rows, each a 200 HTML capture
/// with field values as given (control characters and all).
pub fn cdx(rows: &[(&str, &str)]) -> Act {
    let mut all = vec![serde_json::json!([
        "urlkey",
        "timestamp",
        "original",
        "mimetype",
        "statuscode",
        "digest",
        "length"
    ])];
    for (ts, original) in rows {
        all.push(serde_json::json!(["com,example)/privacy", ts, original, "text/html", "200", "AAAA", "1"]));
    }
    Act::Answer {
        status: 200,
        headers: vec![("Content-Type".into(), "text/plain".into())],
        body: serde_json::to_vec(&all).unwrap(),
    }
}

/// gzip of `n` zero bytes: a few KB that inflate to `n`.
pub fn gzip_bomb(n: usize) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let block = vec![0u8; 1 << 20];
    let mut left = n;
    while left > 0 {
        let k = left.min(block.len());
        gz.write_all(&block[..k]).unwrap();
        left -= k;
    }
    gz.finish().unwrap()
}

/// The running hostile archive; it lives until the test process ends.
pub struct Hostile {
    pub base: String,
    /// Every request target, in arrival order.
    targets: Arc<Mutex<Vec<String>>>,
    /// Bytes written by `Act::Endless` answers so far.
    pub endless_bytes: Arc<Mutex<u64>>,
}

impl Hostile {
    /// Serves each request with `act(target, how many times this target came before)`.
    pub fn start(act: impl Fn(&str, usize) -> Act + Send + Sync + 'static) -> Hostile {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let base = format!("http://{}", listener.local_addr().unwrap());
        let targets: Arc<Mutex<Vec<String>>> = Arc::default();
        let endless_bytes: Arc<Mutex<u64>> = Arc::default();
        let act = Arc::new(act);
        let (t2, e2) = (targets.clone(), endless_bytes.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (targets, endless, act) = (t2.clone(), e2.clone(), act.clone());
                std::thread::spawn(move || {
                    let Some(target) = read_target(&stream) else { return };
                    let nth = {
                        let mut t = targets.lock().unwrap();
                        let n = t.iter().filter(|x| **x == target).count();
                        t.push(target.clone());
                        n
                    };
                    write_act(stream, act(&target, nth), &endless);
                });
            }
        });
        Hostile { base, targets, endless_bytes }
    }

    pub fn targets(&self) -> Vec<String> {
        self.targets.lock().unwrap().clone()
    }

    pub fn capture_targets(&self) -> Vec<String> {
        self.targets().into_iter().filter(|t| t.starts_with("/web/")).collect()
    }
}

/// The request line's target; the headers are read and dropped.
fn read_target(stream: &TcpStream) -> Option<String> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    super::read_headers(&mut reader);
    line.split_whitespace().nth(1).map(String::from)
}

fn write_act(mut stream: TcpStream, act: Act, endless: &Mutex<u64>) {
    match act {
        Act::Answer { status, headers, body } => {
            let mut head = format!("HTTP/1.1 {status} Hostile\r\n");
            for (k, v) in &headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str(&format!("Content-Length: {}\r\nConnection: close\r\n\r\n", body.len()));
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
        Act::Endless => {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nMemento-Datetime: Mon, 01 Jan 2018 00:00:00 GMT\r\nConnection: close\r\n\r\n";
            let _ = stream.write_all(head.as_bytes());
            let chunk = b"<p>and more</p>".repeat(4096);
            // Until the client hangs up (or 4 GiB, so a broken client cannot fill a disk).
            while *endless.lock().unwrap() < 4 << 30 {
                if stream.write_all(&chunk).is_err() {
                    break;
                }
                *endless.lock().unwrap() += chunk.len() as u64;
            }
        }
        Act::Stall { promised, sent, stall } => {
            let head = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {promised}\r\nMemento-Datetime: Mon, 01 Jan 2018 00:00:00 GMT\r\nConnection: close\r\n\r\n");
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&sent);
            let _ = stream.flush();
            std::thread::sleep(stall);
        }
    }
    let _ = stream.flush();
}
