//! When to send a request again, as pure decisions a client drives: a [`Policy`] looks at
//! one attempt's outcome (a status and its headers, or a failure to get any) and says
//! whether to try again and after how long. Exponential backoff with full jitter, capped;
//! `Retry-After` honoured, in seconds or as an HTTP date; a budget on the whole call.
//!
//! Retries are on by default only for requests that are safe to repeat: the idempotent
//! methods (`GET`, `HEAD`, `OPTIONS`, `TRACE`, `PUT`, `DELETE`), and `POST` or `PATCH` only
//! when the request carries an idempotency key (Stripe's `Idempotency-Key`) or the
//! caller says so ([`Policy::any_method`]).

use std::ops::RangeInclusive;
use std::time::{Duration, SystemTime};

/// How an attempt ended, as far as retrying goes.
#[derive(Debug, Clone, Copy)]
pub enum Attempt<'a> {
    /// A response came back with this status and these headers.
    Answered {
        /// The response's status.
        status: http::StatusCode,
        /// Its headers (`Retry-After` among them).
        headers: &'a http::HeaderMap,
    },
    /// No response: the connection failed or was reset before one came.
    Failed,
    /// The attempt took longer than its timeout.
    TimedOut,
}

/// What to do after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Send the request again after waiting this long.
    RetryAfter(Duration),
    /// Stop: the outcome is final (a success, an error that is not transient, or no
    /// attempts or time left).
    Stop,
}

/// When and how often to try a request again.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// Attempts in all, the first included; 1 never retries.
    pub max_attempts: u32,
    /// The wait before the second attempt, before jitter.
    pub initial_backoff: Duration,
    /// The longest wait between two attempts (a `Retry-After` beyond it stops instead).
    pub max_backoff: Duration,
    /// Each wait is this many times the one before (before jitter).
    pub multiplier: f64,
    /// Statuses worth another attempt, as ranges (`500..=599` for `5XX`).
    pub statuses: Vec<RangeInclusive<u16>>,
    /// Whether an attempt that got no response (or timed out) is worth another.
    pub connection_errors: bool,
    /// Retry even requests that are not safe to repeat (a `POST` without an idempotency
    /// key).
    pub any_method: bool,
}

impl Default for Policy {
    /// Three attempts, 0.5 s then 1 s (with jitter), at most 30 s apart; 408, 409, 429
    /// and every 5XX; failed connections too.
    fn default() -> Self {
        Policy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            multiplier: 2.0,
            statuses: vec![408..=408, 409..=409, 429..=429, 500..=599],
            connection_errors: true,
            any_method: false,
        }
    }
}

impl Policy {
    /// Never retry.
    pub fn none() -> Policy {
        Policy {
            max_attempts: 1,
            ..Policy::default()
        }
    }

    /// The same policy with `attempts` attempts in all.
    pub fn attempts(self, attempts: u32) -> Policy {
        Policy {
            max_attempts: attempts.max(1),
            ..self
        }
    }

    /// The same policy, for any request, safe to repeat or not.
    pub fn any_method(self) -> Policy {
        Policy {
            any_method: true,
            ..self
        }
    }

    /// Whether `request` may be sent twice with no other effect than once: an idempotent
    /// method, or one that carries an idempotency key.
    pub fn repeatable<B>(&self, request: &http::Request<B>) -> bool {
        self.repeatable_parts(request.method(), request.headers())
    }

    /// [`Policy::repeatable`] for a request known by its method and headers.
    pub fn repeatable_parts(&self, method: &http::Method, headers: &http::HeaderMap) -> bool {
        let idempotent = matches!(
            *method,
            http::Method::GET
                | http::Method::HEAD
                | http::Method::OPTIONS
                | http::Method::TRACE
                | http::Method::PUT
                | http::Method::DELETE
        );
        let keyed = headers.contains_key("idempotency-key");
        self.any_method || idempotent || keyed
    }

    /// What to do after attempt number `attempt` (1 for the first) ended as `outcome`,
    /// for a request that is `repeatable`, with `jitter` in `0.0..1.0` (a random draw:
    /// the wait is a uniform fraction of the backoff, so clients that failed together
    /// do not come back together). `now` reads a `Retry-After` date.
    pub fn decide(
        &self,
        attempt: u32,
        outcome: Attempt<'_>,
        repeatable: bool,
        jitter: f64,
        now: SystemTime,
    ) -> Decision {
        if !repeatable || attempt >= self.max_attempts {
            return Decision::Stop;
        }
        let retry_after = match outcome {
            Attempt::Answered { status, headers } => {
                if !self
                    .statuses
                    .iter()
                    .any(|range| range.contains(&status.as_u16()))
                {
                    return Decision::Stop;
                }
                retry_after(headers, now)
            }
            Attempt::Failed | Attempt::TimedOut if self.connection_errors => None,
            Attempt::Failed | Attempt::TimedOut => return Decision::Stop,
        };
        match retry_after {
            // The server says when: wait that long, if it is not beyond what we would.
            Some(wait) if wait > self.max_backoff => Decision::Stop,
            Some(wait) => Decision::RetryAfter(wait),
            None => Decision::RetryAfter(self.backoff(attempt, jitter)),
        }
    }

    /// The wait after attempt `attempt`: the exponential backoff, capped, times `jitter`.
    pub fn backoff(&self, attempt: u32, jitter: f64) -> Duration {
        let exponent = attempt.saturating_sub(1).min(63) as i32;
        let full = self.initial_backoff.as_secs_f64() * self.multiplier.powi(exponent);
        let capped = full.min(self.max_backoff.as_secs_f64());
        // A wait past what a Duration holds (a max_backoff of Duration::MAX) is the cap.
        Duration::try_from_secs_f64((capped * jitter.clamp(0.0, 1.0)).max(0.0))
            .unwrap_or(self.max_backoff)
    }
}

/// How long a response's `Retry-After` asks to wait: seconds, or until an HTTP date
/// (RFC 9110 §10.2.3); `None` when it has none or it does not parse.
pub fn retry_after(headers: &http::HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

/// A number in `0.0..1.0` for the jitter of a backoff, different on every call.
pub fn jitter() -> f64 {
    fastrand::f64()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answered(status: u16, headers: &http::HeaderMap) -> Attempt<'_> {
        Attempt::Answered {
            status: http::StatusCode::from_u16(status).unwrap(),
            headers,
        }
    }

    #[test]
    fn transient_statuses_are_retried_with_growing_capped_waits() {
        let policy = Policy {
            max_attempts: 5,
            max_backoff: Duration::from_secs(1),
            ..Policy::default()
        };
        let none = http::HeaderMap::new();
        let now = SystemTime::now();
        let waits: Vec<Decision> = (1..=5)
            .map(|attempt| policy.decide(attempt, answered(503, &none), true, 1.0, now))
            .collect();
        assert_eq!(
            waits,
            [
                Decision::RetryAfter(Duration::from_millis(500)),
                Decision::RetryAfter(Duration::from_secs(1)),
                Decision::RetryAfter(Duration::from_secs(1)),
                Decision::RetryAfter(Duration::from_secs(1)),
                Decision::Stop,
            ]
        );
        assert_eq!(
            policy.decide(1, answered(404, &none), true, 1.0, now),
            Decision::Stop
        );
        assert_eq!(
            policy.decide(1, answered(503, &none), false, 1.0, now),
            Decision::Stop
        );
        assert_eq!(
            policy.decide(1, answered(503, &none), true, 0.5, now),
            Decision::RetryAfter(Duration::from_millis(250))
        );
    }

    #[test]
    fn retry_after_is_read_as_seconds_or_a_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let mut headers = http::HeaderMap::new();
        headers.insert("retry-after", "7".parse().unwrap());
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(7)));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(12));
        headers.insert("retry-after", later.parse().unwrap());
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(12)));
        let policy = Policy::default();
        assert_eq!(
            policy.decide(1, answered(429, &headers), true, 1.0, now),
            Decision::RetryAfter(Duration::from_secs(12))
        );
        headers.insert("retry-after", "3600".parse().unwrap());
        assert_eq!(
            policy.decide(1, answered(429, &headers), true, 1.0, now),
            Decision::Stop
        );
    }

    #[test]
    fn only_requests_safe_to_repeat_are_repeatable() {
        let policy = Policy::default();
        let request = |method: http::Method, key: bool| {
            let mut builder = http::Request::builder().method(method).uri("/x");
            if key {
                builder = builder.header("Idempotency-Key", "k");
            }
            builder.body(()).unwrap()
        };
        assert!(policy.repeatable(&request(http::Method::GET, false)));
        assert!(policy.repeatable(&request(http::Method::DELETE, false)));
        assert!(!policy.repeatable(&request(http::Method::POST, false)));
        assert!(policy.repeatable(&request(http::Method::POST, true)));
        assert!(policy
            .clone()
            .any_method()
            .repeatable(&request(http::Method::POST, false)));
    }

    #[test]
    fn no_policy_makes_a_wait_panic() {
        let policy = Policy {
            max_backoff: Duration::MAX,
            multiplier: f64::INFINITY,
            ..Policy::default()
        };
        assert_eq!(policy.backoff(64, 1.0), Duration::MAX);
        let policy = Policy {
            multiplier: f64::NAN,
            initial_backoff: Duration::MAX,
            ..Policy::default()
        };
        assert_eq!(policy.backoff(3, 0.5), Duration::from_secs(15));
        let policy = Policy {
            multiplier: -3.0,
            ..Policy::default()
        };
        assert_eq!(policy.backoff(2, 1.0), Duration::ZERO);
    }

    #[test]
    fn jitter_is_a_fraction() {
        for _ in 0..100 {
            let j = jitter();
            assert!((0.0..1.0).contains(&j));
        }
        assert_ne!(jitter(), jitter());
    }
}
