//! The archive's etiquette, shared by every task of the process: one rate limiter per
//! class of request (CDX listings, captures), a pause that every task honours after a
//! 429, and the retry schedule (exponential backoff with jitter, bounded tries).
//!
//! Limits come from PRODUCT.md; each has an environment variable so tests can run
//! with short limits instead of real minutes.
//!
//! Processes that share a store also share its limits: each request reserves its slot
//! in `<store>/.locks/etiquette` under a file lock, and a 429 seen by one process
//! pauses the others (a cron `check` and a manual `fetch` at once stay within limits).

use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use fs2::FileExt;

use tokio::sync::Mutex;
use tokio::time::Instant;

/// The two classes of request, each with a rate limit of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestClass {
    /// CDX search (the listing of captures): 0.4 requests/s by default.
    Cdx,
    /// A capture (`/web/<ts>id_/<url>`): 8 requests/s by default.
    Capture,
}

/// The configured limits.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// CDX requests per second (`POLICYDIFF_CDX_RATE`, default 0.4).
    pub cdx_rate: f64,
    /// Capture requests per second (`POLICYDIFF_CAPTURE_RATE`, default 8).
    pub capture_rate: f64,
    /// Pause after a 429 without `Retry-After` (`POLICYDIFF_RATE_LIMIT_WAIT_MS`, default 60 000).
    pub rate_limit_wait: Duration,
    /// First backoff delay after a 5xx, timeout or reset; doubles each try
    /// (`POLICYDIFF_RETRY_BASE_MS`, default 2 000).
    pub retry_base: Duration,
    /// Tries per request, the first included (`POLICYDIFF_MAX_TRIES`, default 5).
    pub max_tries: u32,
    /// Time limit of one request, body included (`POLICYDIFF_TIMEOUT_MS`, default 60 000).
    pub timeout: Duration,
    /// Capture downloads running at once (`POLICYDIFF_CONCURRENCY`, default 4).
    pub concurrency: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            cdx_rate: 0.4,
            capture_rate: 8.0,
            rate_limit_wait: Duration::from_secs(60),
            retry_base: Duration::from_secs(2),
            max_tries: 5,
            timeout: Duration::from_secs(60),
            concurrency: 4,
        }
    }
}

impl Limits {
    /// The defaults, overridden by the `POLICYDIFF_*` environment variables.
    /// Values that do not parse, or are not positive, keep the default.
    pub fn from_env() -> Self {
        let d = Limits::default();
        let num = |name: &str| {
            std::env::var(name).ok().and_then(|v| v.trim().parse::<f64>().ok()).filter(|v| *v > 0.0)
        };
        let ms =
            |name: &str, default: Duration| num(name).map_or(default, |v| Duration::from_millis(v as u64));
        Limits {
            cdx_rate: num("POLICYDIFF_CDX_RATE").unwrap_or(d.cdx_rate),
            capture_rate: num("POLICYDIFF_CAPTURE_RATE").unwrap_or(d.capture_rate),
            rate_limit_wait: ms("POLICYDIFF_RATE_LIMIT_WAIT_MS", d.rate_limit_wait),
            retry_base: ms("POLICYDIFF_RETRY_BASE_MS", d.retry_base),
            max_tries: num("POLICYDIFF_MAX_TRIES").map_or(d.max_tries, |v| (v as u32).max(1)),
            timeout: ms("POLICYDIFF_TIMEOUT_MS", d.timeout),
            concurrency: num("POLICYDIFF_CONCURRENCY").map_or(d.concurrency, |v| (v as usize).max(1)),
        }
    }

    fn interval(&self, class: RequestClass) -> Duration {
        let rate = match class {
            RequestClass::Cdx => self.cdx_rate,
            RequestClass::Capture => self.capture_rate,
        };
        // A margin (2 % + 15 ms) so that jitter between leaving here and reaching the
        // server never makes two requests arrive closer than the limit allows.
        Duration::from_secs_f64(1.02 / rate) + Duration::from_millis(15)
    }

    /// The backoff before try `tries + 1`: base × 2^(tries−1), plus up to half of it as
    /// jitter so parallel tasks do not retry in step.
    pub fn backoff(&self, tries: u32) -> Duration {
        let exp = self.retry_base.saturating_mul(1u32 << (tries.saturating_sub(1)).min(10));
        let jitter = exp.mul_f64(rand::random::<f64>() * 0.5);
        exp + jitter
    }
}

/// Rate limiters and the 429 pause, shared by all tasks that talk to the archive.
#[derive(Debug)]
pub struct Etiquette {
    pub limits: Limits,
    cdx_next: Mutex<Option<Instant>>,
    capture_next: Mutex<Option<Instant>>,
    paused_until: Mutex<Option<Instant>>,
    /// The slot file shared with other processes using the same store, once known.
    shared_file: OnceLock<PathBuf>,
}

impl Etiquette {
    pub fn new(limits: Limits) -> Self {
        Etiquette {
            limits,
            cdx_next: Mutex::new(None),
            capture_next: Mutex::new(None),
            paused_until: Mutex::new(None),
            shared_file: OnceLock::new(),
        }
    }

    /// Shares the limits with every process using the store whose lock folder is
    /// `locks` (the first call wins; without one the limits are this process's own).
    pub fn share_with_processes(&self, locks: &Path) {
        if std::fs::create_dir_all(locks).is_ok() {
            let _ = self.shared_file.set(locks.join("etiquette"));
        } else {
            tracing::debug!("cannot create {}; rate limits are per process", locks.display());
        }
    }

    /// The process-wide instance, with limits from the environment.
    pub fn shared() -> Arc<Etiquette> {
        static SHARED: OnceLock<Arc<Etiquette>> = OnceLock::new();
        SHARED.get_or_init(|| Arc::new(Etiquette::new(Limits::from_env()))).clone()
    }

    /// Waits until a request of `class` may be sent: after any 429 pause, and at least
    /// one interval after the previous request of the class.
    pub async fn acquire(&self, class: RequestClass) {
        let slot = match class {
            RequestClass::Cdx => &self.cdx_next,
            RequestClass::Capture => &self.capture_next,
        };
        // The slot lock is held while waiting, so requests of a class leave in order,
        // one interval apart.
        let mut next = slot.lock().await;
        loop {
            let pause = *self.paused_until.lock().await;
            let now = Instant::now();
            let ready = [pause, *next].into_iter().flatten().max().unwrap_or(now);
            if ready <= now {
                break;
            }
            tokio::time::sleep_until(ready).await;
        }
        *next = Some(Instant::now() + self.limits.interval(class));
        if let Some(path) = self.shared_file.get().cloned() {
            let interval = self.limits.interval(class);
            let reserved =
                tokio::task::spawn_blocking(move || reserve(&path, Some((class, interval)), None)).await;
            match reserved {
                Ok(Ok(wait)) if !wait.is_zero() => {
                    tokio::time::sleep(wait).await;
                    *next = Some(Instant::now() + interval);
                }
                Ok(Ok(_)) => {}
                Ok(Err(e)) => tracing::debug!("shared rate limit unavailable: {e}"),
                Err(e) => tracing::debug!("shared rate limit unavailable: {e}"),
            }
        }
    }

    /// After a 429: no task sends anything until `wait` has passed.
    pub async fn pause(&self, wait: Duration) {
        let until = Instant::now() + wait;
        let mut paused = self.paused_until.lock().await;
        if paused.is_none_or(|p| p < until) {
            *paused = Some(until);
        }
        drop(paused);
        if let Some(path) = self.shared_file.get().cloned() {
            let _ = tokio::task::spawn_blocking(move || reserve(&path, None, Some(wait))).await;
        }
        tracing::warn!(
            "the archive asked us to slow down (429); pausing all requests for {:.1} s",
            wait.as_secs_f64()
        );
    }
}

/// The slot file: when the next CDX request and the next capture request may leave,
/// and until when everything is paused, as milliseconds since the Unix epoch.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
struct SharedSlots {
    cdx_next: u64,
    capture_next: u64,
    paused_until: u64,
}

/// Longer than any wait the file can ask for; a later time is a clock jump, ignored.
const MAX_SHARED_WAIT: Duration = Duration::from_secs(2 * 3600);

/// Under an exclusive lock of the slot file: reserves the next slot of a class (and
/// says how long to wait for it), or records a pause. The lock is held only for this
/// read and write, never while waiting.
fn reserve(
    path: &Path,
    slot: Option<(RequestClass, Duration)>,
    pause: Option<Duration>,
) -> std::io::Result<Duration> {
    let mut file =
        std::fs::OpenOptions::new().read(true).write(true).create(true).truncate(false).open(path)?;
    file.lock_exclusive()?;
    let result = (|| {
        let mut text = String::new();
        file.read_to_string(&mut text)?;
        let mut slots = parse_slots(&text);
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_millis() as u64;
        let horizon = now + MAX_SHARED_WAIT.as_millis() as u64;
        let sane = |t: u64| if t > horizon { 0 } else { t };
        let mut wait = Duration::ZERO;
        if let Some((class, interval)) = slot {
            let next = match class {
                RequestClass::Cdx => &mut slots.cdx_next,
                RequestClass::Capture => &mut slots.capture_next,
            };
            let ready = now.max(sane(*next)).max(sane(slots.paused_until));
            *next = ready + interval.as_millis() as u64;
            wait = Duration::from_millis(ready - now);
        }
        if let Some(pause) = pause {
            slots.paused_until = sane(slots.paused_until).max(now + pause.as_millis() as u64);
        }
        file.set_len(0)?;
        file.rewind()?;
        writeln!(file, "{} {} {}", slots.cdx_next, slots.capture_next, slots.paused_until)?;
        Ok(wait)
    })();
    let _ = FileExt::unlock(&file);
    result
}

fn parse_slots(text: &str) -> SharedSlots {
    let mut v = text.split_whitespace().map(|w| w.parse::<u64>().unwrap_or(0));
    SharedSlots {
        cdx_next: v.next().unwrap_or(0),
        capture_next: v.next().unwrap_or(0),
        paused_until: v.next().unwrap_or(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_in_the_shared_file_leave_one_interval_apart_and_honour_a_pause() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("etiquette");
        let interval = Duration::from_millis(500);
        let first = reserve(&path, Some((RequestClass::Capture, interval)), None).unwrap();
        let second = reserve(&path, Some((RequestClass::Capture, interval)), None).unwrap();
        assert_eq!(first, Duration::ZERO);
        assert!(second >= Duration::from_millis(450) && second <= interval, "{second:?}");
        // The other class has its own slot...
        assert_eq!(reserve(&path, Some((RequestClass::Cdx, interval)), None).unwrap(), Duration::ZERO);
        // ...but a pause holds both.
        reserve(&path, None, Some(Duration::from_secs(5))).unwrap();
        let after_pause = reserve(&path, Some((RequestClass::Cdx, interval)), None).unwrap();
        assert!(after_pause >= Duration::from_millis(4900), "{after_pause:?}");
        // A garbled or far-future file is not obeyed for hours.
        std::fs::write(&path, "99999999999999999 x\n").unwrap();
        assert_eq!(reserve(&path, Some((RequestClass::Capture, interval)), None).unwrap(), Duration::ZERO);
    }

    #[test]
    fn backoff_grows_and_stays_bounded() {
        let l = Limits { retry_base: Duration::from_millis(100), ..Limits::default() };
        let b1 = l.backoff(1);
        let b3 = l.backoff(3);
        assert!(b1 >= Duration::from_millis(100) && b1 <= Duration::from_millis(150), "{b1:?}");
        assert!(b3 >= Duration::from_millis(400) && b3 <= Duration::from_millis(600), "{b3:?}");
        assert!(l.backoff(50) <= Duration::from_millis(100 * 1024 * 3 / 2));
    }

    #[tokio::test]
    async fn requests_of_a_class_leave_one_interval_apart() {
        let e = Etiquette::new(Limits { capture_rate: 20.0, ..Limits::default() });
        let t0 = Instant::now();
        for _ in 0..4 {
            e.acquire(RequestClass::Capture).await;
        }
        // Three intervals of 50 ms (plus margin) after the first, free, request.
        assert!(t0.elapsed() >= Duration::from_millis(150), "{:?}", t0.elapsed());
    }
}
