//! The loopback load generator: a round sends a bounded number of requests (bounded in time too)
//! from a fixed number of concurrent connections and records each one's latency.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::ORIGIN;
use crate::bench::stats::percentile;

const ROUND_TIME_LIMIT: Duration = Duration::from_secs(20);

/// What a load round sends.
#[derive(Clone)]
pub enum Target {
    Proxy {
        url: String,
        body: String,
    },
    Direct {
        url: String,
        form: Vec<(&'static str, String)>,
    },
}

impl Target {
    pub fn request(&self, http: &reqwest::Client) -> reqwest::RequestBuilder {
        match self {
            Target::Proxy { url, body } => http
                .post(url)
                .header("origin", ORIGIN)
                .header("x-wxcc-request", "1")
                .header("content-type", "application/json")
                .body(body.clone()),
            Target::Direct { url, form } => http.post(url).form(form),
        }
    }
}

/// One round's raw figures.
#[derive(Debug, Default, PartialEq)]
pub struct Round {
    pub latencies_ms: Vec<f64>,
    pub errors: u64,
    pub elapsed: Duration,
}

impl Round {
    /// (p50, p99, requests per second); p50/p99 over successful requests only.
    pub fn figures(&self) -> (Option<f64>, Option<f64>, f64) {
        let mut sorted = self.latencies_ms.clone();
        sorted.sort_by(f64::total_cmp);
        let done = sorted.len() as f64 + self.errors as f64;
        let rate = if self.elapsed.is_zero() {
            0.0
        } else {
            done / self.elapsed.as_secs_f64()
        };
        (percentile(&sorted, 50.0), percentile(&sorted, 99.0), rate)
    }
}

/// `total` requests to `target` from `concurrency` connections, or fewer when the round's time
/// limit comes first.
pub async fn round(target: &Target, concurrency: usize, total: usize) -> Round {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("a plain HTTP client builds");
    let issued = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + ROUND_TIME_LIMIT;
    let started = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..concurrency {
        let (http, target, issued) = (http.clone(), target.clone(), issued.clone());
        workers.spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0u64;
            while issued.fetch_add(1, Ordering::Relaxed) < total && Instant::now() < deadline {
                let sent = Instant::now();
                let ok = match target.request(&http).send().await {
                    Ok(response) => {
                        let success = response.status().is_success();
                        // Read the whole body so the connection is reused and the time is complete.
                        response.bytes().await.is_ok() && success
                    }
                    Err(_) => false,
                };
                if ok {
                    latencies.push(sent.elapsed().as_secs_f64() * 1000.0);
                } else {
                    errors += 1;
                }
            }
            (latencies, errors)
        });
    }
    let mut result = Round::default();
    while let Some(joined) = workers.join_next().await {
        if let Ok((latencies, errors)) = joined {
            result.latencies_ms.extend(latencies);
            result.errors += errors;
        }
    }
    result.elapsed = started.elapsed();
    result
}

#[cfg(test)]
mod tests {
    use std::io::{BufRead, BufReader, Read, Write};

    use super::*;

    #[test]
    fn round_figures() {
        let round = Round {
            latencies_ms: (1..=100).map(f64::from).collect(),
            errors: 100,
            elapsed: Duration::from_secs(2),
        };
        assert_eq!(round.figures(), (Some(50.0), Some(99.0), 100.0));
        assert_eq!(Round::default().figures(), (None, None, 0.0));
    }

    /// The load generator against an in-process loopback server: counts, bounds and errors.
    #[test]
    fn load_rounds_are_bounded_and_count_errors() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for stream in listener.incoming().map_while(|s| s.ok()) {
                std::thread::spawn(move || serve_keep_alive(stream));
            }
        });
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let ok = Target::Proxy {
            url: format!("http://127.0.0.1:{port}/ok"),
            body: "{}".into(),
        };
        let result = runtime.block_on(round(&ok, 4, 40));
        assert_eq!((result.latencies_ms.len(), result.errors), (40, 0));
        let failing = Target::Direct {
            url: format!("http://127.0.0.1:{port}/fail"),
            form: vec![("a", "b".into())],
        };
        let result = runtime.block_on(round(&failing, 2, 10));
        assert_eq!((result.latencies_ms.len(), result.errors), (0, 10));
    }

    /// A tiny HTTP/1.1 server: 200 for /ok, 500 otherwise, keep-alive.
    fn serve_keep_alive(stream: std::net::TcpStream) {
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut writer = stream;
        loop {
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
                return;
            }
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                if line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0u8; length];
            if reader.read_exact(&mut body).is_err() {
                return;
            }
            let status = if request_line.contains("/ok") {
                "200 OK"
            } else {
                "500 Internal Server Error"
            };
            let answer = format!("HTTP/1.1 {status}\r\ncontent-length: 2\r\n\r\n{{}}");
            if writer.write_all(answer.as_bytes()).is_err() {
                return;
            }
        }
    }
}
