//! The archive's etiquette, shared by every task of the process: one rate limiter per
//! class of request (CDX listings, captures), a pause that every task honours after a
//! 429, and the retry schedule (exponential backoff with jitter, bounded tries).
//!
//! Limits come from PRODUCT.md; each has an environment variable so tests can run
//! with short limits instead of real minutes.
//!
//! Everything is kept per archive host (`web.archive.org`, or a test's `127.0.0.1:port`):
//! a 429 from one archive never holds requests to another.
//!
//! Processes that share a store also share its limits: each request reserves its slot
//! in `<store>/.locks/etiquette` under a file lock, and a 429 seen by one process
//! pauses the others (a cron `check` and a manual `fetch` at once stay within limits);
//! a run that waits for a pause another run recorded says so on stderr.

use std::collections::{BTreeMap, HashMap};
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
    /// The longest pause a 429 may impose (`POLICYDIFF_MAX_PAUSE_MS`, default 300 000):
    /// a longer `Retry-After` fails the request at once instead of waiting silently.
    pub max_pause: Duration,
    /// Bytes one answer may hold, compressed and decompressed alike
    /// (`POLICYDIFF_MAX_BODY_MB`, default 32): a larger body fails that request.
    pub max_body: u64,
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
            max_pause: Duration::from_secs(300),
            max_body: 32 << 20,
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
            max_pause: ms("POLICYDIFF_MAX_PAUSE_MS", d.max_pause),
            max_body: num("POLICYDIFF_MAX_BODY_MB").map_or(d.max_body, |mb| ((mb * 1048576.0) as u64).max(1)),
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

/// One archive host's clocks in this process.
#[derive(Debug, Default)]
struct HostClocks {
    cdx_next: Mutex<Option<Instant>>,
    capture_next: Mutex<Option<Instant>>,
    paused_until: Mutex<Option<Instant>>,
}

/// Rate limiters and the 429 pause, shared by all tasks that talk to the archive,
/// kept apart for each archive host.
#[derive(Debug)]
pub struct Etiquette {
    pub limits: Limits,
    hosts: std::sync::Mutex<HashMap<String, Arc<HostClocks>>>,
    /// The slot file shared with other processes using the same store, once known.
    shared_file: OnceLock<PathBuf>,
}

impl Etiquette {
    pub fn new(limits: Limits) -> Self {
        Etiquette { limits, hosts: std::sync::Mutex::default(), shared_file: OnceLock::new() }
    }

    /// Shares the limits with every process using the store whose lock folder is
    /// `locks` (the first call wins; without one the limits are this process's own).
    /// A lock folder that is a symbolic link is not used.
    pub fn share_with_processes(&self, locks: &Path) {
        if std::fs::symlink_metadata(locks).is_ok_and(|m| m.file_type().is_symlink()) {
            tracing::debug!("{} is a symbolic link; rate limits are per process", locks.display());
        } else if std::fs::create_dir_all(locks).is_ok() {
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

    fn clocks(&self, host: &str) -> Arc<HostClocks> {
        let mut hosts = self.hosts.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        hosts.entry(host.to_string()).or_default().clone()
    }

    /// Waits until a request of `class` may be sent to the archive at `host`: after any
    /// 429 pause of that host, and at least one interval after the previous request of
    /// the class to it.
    pub async fn acquire(&self, host: &str, class: RequestClass) {
        let clocks = self.clocks(host);
        let slot = match class {
            RequestClass::Cdx => &clocks.cdx_next,
            RequestClass::Capture => &clocks.capture_next,
        };
        // The slot lock is held while waiting, so requests of a class leave in order,
        // one interval apart.
        let mut next = slot.lock().await;
        loop {
            let pause = *clocks.paused_until.lock().await;
            let now = Instant::now();
            let ready = [pause, *next].into_iter().flatten().max().unwrap_or(now);
            if ready <= now {
                break;
            }
            tokio::time::sleep_until(ready).await;
        }
        let interval = self.limits.interval(class);
        *next = Some(Instant::now() + interval);
        let Some(path) = self.shared_file.get().cloned() else { return };
        let (owned_host, max_pause) = (host.to_string(), self.limits.max_pause);
        let reserved = tokio::task::spawn_blocking(move || {
            reserve(&path, &owned_host, Some((class, interval)), None, max_pause)
        })
        .await;
        let reservation = match reserved {
            Ok(Ok(r)) => r,
            Ok(Err(e)) => return tracing::debug!("shared rate limit unavailable: {e}"),
            Err(e) => return tracing::debug!("shared rate limit unavailable: {e}"),
        };
        if !reservation.pause_left.is_zero() {
            let until = Instant::now() + reservation.pause_left;
            let mut paused = clocks.paused_until.lock().await;
            // A pause this process did not record (or a longer one): another run's.
            if paused.is_none_or(|p| p + Duration::from_millis(250) < until) {
                *paused = Some(until);
                tracing::warn!(
                    "waiting {:.1} s: {host} asked another policydiff run using this store to slow down (429)",
                    reservation.pause_left.as_secs_f64()
                );
            }
        }
        if !reservation.wait.is_zero() {
            tokio::time::sleep(reservation.wait).await;
            *next = Some(Instant::now() + interval);
        }
    }

    /// After a 429 from `host`: no task sends anything to it until `wait` (at most the
    /// configured longest pause) has passed.
    pub async fn pause(&self, host: &str, wait: Duration) {
        let wait = wait.min(self.limits.max_pause);
        let clocks = self.clocks(host);
        let until = Instant::now() + wait;
        let mut paused = clocks.paused_until.lock().await;
        if paused.is_none_or(|p| p < until) {
            *paused = Some(until);
        }
        drop(paused);
        if let Some(path) = self.shared_file.get().cloned() {
            let (owned_host, max_pause) = (host.to_string(), self.limits.max_pause);
            let _ =
                tokio::task::spawn_blocking(move || reserve(&path, &owned_host, None, Some(wait), max_pause))
                    .await;
        }
        tracing::warn!(
            "{host} asked us to slow down (429); pausing all requests to it for {:.1} s",
            wait.as_secs_f64()
        );
    }
}

/// One host's line of the slot file: when the next CDX request and the next capture
/// request may leave, and until when everything is paused, as milliseconds since the
/// Unix epoch.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
struct SharedSlots {
    cdx_next: u64,
    capture_next: u64,
    paused_until: u64,
}

/// What a reservation in the slot file says.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
struct Reservation {
    /// How long to wait for the slot reserved.
    wait: Duration,
    /// How much of a recorded pause of the host is left.
    pause_left: Duration,
}

/// Longer than any wait the file can ask for; a later time is a clock jump, ignored.
const MAX_SHARED_WAIT: Duration = Duration::from_secs(2 * 3600);

/// Under an exclusive lock of the slot file: reserves the next slot of a class at
/// `host` (and says how long to wait for it), or records a pause of `host`. The lock is
/// held only for this read and write, never while waiting. A pause is never longer
/// than `max_pause` from now, whatever the file says.
fn reserve(
    path: &Path,
    host: &str,
    slot: Option<(RequestClass, Duration)>,
    pause: Option<Duration>,
    max_pause: Duration,
) -> std::io::Result<Reservation> {
    let mut file = super::open_no_follow(
        std::fs::OpenOptions::new().read(true).write(true).create(true).truncate(false),
        path,
    )?;
    file.lock_exclusive()?;
    let result = (|| {
        let mut text = String::new();
        file.read_to_string(&mut text)?;
        let mut hosts = parse_slots(&text);
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_millis() as u64;
        let horizon = now + MAX_SHARED_WAIT.as_millis() as u64;
        let sane = |t: u64| if t > horizon { 0 } else { t };
        let longest_pause = now + max_pause.as_millis() as u64;
        let slots = hosts.entry(host.to_string()).or_default();
        slots.paused_until = sane(slots.paused_until).min(longest_pause);
        let mut reservation = Reservation {
            pause_left: Duration::from_millis(slots.paused_until.saturating_sub(now)),
            ..Reservation::default()
        };
        if let Some((class, interval)) = slot {
            let next = match class {
                RequestClass::Cdx => &mut slots.cdx_next,
                RequestClass::Capture => &mut slots.capture_next,
            };
            let ready = now.max(sane(*next)).max(slots.paused_until);
            *next = ready + interval.as_millis() as u64;
            reservation.wait = Duration::from_millis(ready - now);
        }
        if let Some(pause) = pause {
            slots.paused_until = slots.paused_until.max(now + pause.min(max_pause).as_millis() as u64);
        }
        // Hosts whose times have all passed are dropped: the file stays a few lines.
        hosts.retain(|h, s| h == host || s.cdx_next.max(s.capture_next).max(s.paused_until) > now);
        let mut out = String::new();
        for (h, s) in &hosts {
            out.push_str(&format!("{h} {} {} {}\n", s.cdx_next, s.capture_next, s.paused_until));
        }
        file.set_len(0)?;
        file.rewind()?;
        file.write_all(out.as_bytes())?;
        Ok(reservation)
    })();
    let _ = FileExt::unlock(&file);
    result
}

/// The slot file's lines, `host cdx_next capture_next paused_until`; anything else
/// (a line of an older version, garbage) is passed over.
fn parse_slots(text: &str) -> BTreeMap<String, SharedSlots> {
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [host, cdx, capture, paused] = fields[..] else { continue };
        let (Ok(cdx_next), Ok(capture_next), Ok(paused_until)) =
            (cdx.parse::<u64>(), capture.parse::<u64>(), paused.parse::<u64>())
        else {
            continue;
        };
        out.insert(host.to_string(), SharedSlots { cdx_next, capture_next, paused_until });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: Duration = Duration::from_secs(3600);

    #[test]
    fn slots_in_the_shared_file_leave_one_interval_apart_and_honour_a_pause() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("etiquette");
        let interval = Duration::from_millis(500);
        let capture = Some((RequestClass::Capture, interval));
        let first = reserve(&path, "a", capture, None, HOUR).unwrap();
        let second = reserve(&path, "a", capture, None, HOUR).unwrap();
        assert_eq!(first.wait, Duration::ZERO);
        assert!(second.wait >= Duration::from_millis(450) && second.wait <= interval, "{second:?}");
        // The other class has its own slot...
        let cdx = Some((RequestClass::Cdx, interval));
        assert_eq!(reserve(&path, "a", cdx, None, HOUR).unwrap().wait, Duration::ZERO);
        // ...but a pause holds both.
        reserve(&path, "a", None, Some(Duration::from_secs(5)), HOUR).unwrap();
        let after_pause = reserve(&path, "a", cdx, None, HOUR).unwrap();
        assert!(after_pause.wait >= Duration::from_millis(4900), "{after_pause:?}");
        assert!(after_pause.pause_left >= Duration::from_millis(4900), "{after_pause:?}");
        // A garbled or far-future file is not obeyed for hours.
        std::fs::write(&path, "a 99999999999999999 x\n99999999999999999 0 0\n").unwrap();
        assert_eq!(reserve(&path, "a", capture, None, HOUR).unwrap().wait, Duration::ZERO);
    }

    #[test]
    fn a_pause_holds_only_the_archive_host_that_asked_for_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("etiquette");
        let capture = Some((RequestClass::Capture, Duration::from_secs(30)));
        reserve(&path, "127.0.0.1:1", None, Some(Duration::from_secs(60)), HOUR).unwrap();
        let other = reserve(&path, "web.archive.org", capture, None, HOUR).unwrap();
        assert_eq!(other, Reservation::default());
        let same = reserve(&path, "127.0.0.1:1", capture, None, HOUR).unwrap();
        assert!(same.wait >= Duration::from_secs(59), "{same:?}");
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 2, "{text}");
    }

    #[test]
    fn a_recorded_pause_never_lasts_longer_than_the_longest_pause() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("etiquette");
        let longest = Duration::from_secs(2);
        reserve(&path, "a", None, Some(Duration::from_secs(1_000_000_000)), longest).unwrap();
        let r = reserve(&path, "a", Some((RequestClass::Cdx, Duration::ZERO)), None, longest).unwrap();
        assert!(r.wait <= longest && r.wait >= Duration::from_millis(1900), "{r:?}");
        // A pause written under a longer limit is shortened by a run with a shorter one.
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as u64;
        std::fs::write(&path, format!("a 0 0 {}\n", now + 3_600_000)).unwrap();
        let r = reserve(&path, "a", Some((RequestClass::Cdx, Duration::ZERO)), None, longest).unwrap();
        assert!(r.pause_left <= longest, "{r:?}");
    }

    #[cfg(unix)]
    #[test]
    fn the_slot_file_is_never_written_through_a_symbolic_link() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "precious bytes").unwrap();
        let path = dir.path().join("etiquette");
        std::os::unix::fs::symlink(&victim, &path).unwrap();
        assert!(reserve(&path, "a", None, Some(Duration::from_secs(1)), HOUR).is_err());
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious bytes");
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
            e.acquire("a", RequestClass::Capture).await;
        }
        // Three intervals of 50 ms (plus margin) after the first, free, request.
        assert!(t0.elapsed() >= Duration::from_millis(150), "{:?}", t0.elapsed());
    }
}
