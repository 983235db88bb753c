//! A webhook receiver on 127.0.0.1 for the monitoring tests: a tiny HTTP/1.1 server
//! that reads each POST with its body, logs it, and answers through a script — fail
//! the first N requests, answer slowly, then accept.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One POST as the receiver saw it.
#[derive(Debug, Clone)]
pub struct Post {
    pub path: String,
    pub headers: HashMap<String, String>,
    pub body: serde_json::Value,
    /// The status it was answered with.
    pub status: u16,
}

impl Post {
    /// The notification's `id` (stable per step).
    pub fn id(&self) -> String {
        self.body["id"].as_str().unwrap_or_default().to_string()
    }
}

/// How the receiver answers.
#[derive(Debug, Clone, Default)]
pub struct Script {
    /// Answer 503 to the first this many requests.
    pub fail_first: usize,
    /// Wait this long before answering each of the first `slow_first` requests.
    pub delay: Duration,
    pub slow_first: usize,
}

pub struct Receiver {
    pub url: String,
    log: Arc<Mutex<Vec<Post>>>,
}

impl Receiver {
    pub fn start(script: Script) -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let log: Arc<Mutex<Vec<Post>>> = Arc::default();
        let seen = Arc::new(Mutex::new(0usize));
        let log2 = log.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (log, seen, script) = (log2.clone(), seen.clone(), script.clone());
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let path = line.split_whitespace().nth(1).unwrap_or_default().to_string();
                    let headers = super::read_headers(&mut reader);
                    let len: usize = headers.get("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
                    let mut body = vec![0; len];
                    if reader.read_exact(&mut body).is_err() {
                        return;
                    }
                    let n = {
                        let mut s = seen.lock().unwrap();
                        *s += 1;
                        *s
                    };
                    let status = if n <= script.fail_first { 503 } else { 200 };
                    let body = serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null);
                    log.lock().unwrap().push(Post { path, headers, body, status });
                    if n <= script.slow_first {
                        std::thread::sleep(script.delay);
                    }
                    let mut stream = stream;
                    let _ = write!(
                        stream,
                        "HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    );
                    let _ = stream.flush();
                });
            }
        });
        Receiver { url, log }
    }

    /// Every POST received, in order.
    pub fn posts(&self) -> Vec<Post> {
        self.log.lock().unwrap().clone()
    }

    /// The POSTs answered 2xx.
    pub fn accepted(&self) -> Vec<Post> {
        self.posts().into_iter().filter(|p| p.status < 300).collect()
    }

    /// Waits until `n` POSTs have arrived (or panics after `within`).
    pub fn wait_for(&self, n: usize, within: Duration) {
        let start = std::time::Instant::now();
        while self.posts().len() < n {
            assert!(start.elapsed() < within, "{} POSTs after {within:?}, wanted {n}", self.posts().len());
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}
