//! `x-speakeasy-retries`: the retries a description asks for, on an operation or, for
//! all of them, at its root. A client uses them instead of its own policy.
//!
//! ```yaml
//! x-speakeasy-retries:
//!   strategy: backoff
//!   backoff: { initialInterval: 500, maxInterval: 60000, maxElapsedTime: 3600000, exponent: 1.5 }
//!   statusCodes: [5XX, 429]
//!   retryConnectionErrors: true
//! ```
//!
//! Times are in milliseconds. The runtime counts attempts rather than elapsed time, so
//! `maxElapsedTime` becomes the number of attempts whose waits (before jitter) fit in it.

use serde_json::Value;

use crate::diagnostics::{DiagnosticKind, Diagnostics};
use crate::load::{child, Document};
use crate::model::Retries;

const EXTENSION: &str = "x-speakeasy-retries";

/// The most attempts a description's retries may come to.
const MOST_ATTEMPTS: u32 = 100;

/// The retries of the operation `node` (at `pointer`): its own, or the root's.
pub fn of_operation(
    doc: &Document,
    node: &Value,
    pointer: &str,
    diagnostics: &mut Diagnostics,
) -> Option<Retries> {
    let (value, at) = match node.get(EXTENSION) {
        Some(value) => (value, child(pointer, EXTENSION)),
        None => (doc.root.get(EXTENSION)?, child("#", EXTENSION)),
    };
    match read(value) {
        Ok(retries) => Some(retries),
        Err(problem) => {
            diagnostics.push(doc.warning(
                DiagnosticKind::IgnoredKeyword,
                &at,
                format!("{problem}; the client's own retry policy applies"),
            ));
            None
        }
    }
}

fn read(value: &Value) -> Result<Retries, String> {
    let number = |node: &Value, key: &str| node.get(key).and_then(Value::as_f64);
    match value.get("strategy").and_then(Value::as_str) {
        Some("backoff") => {}
        // Speakeasy's way to turn retries off for one operation.
        Some("none") => {
            return Ok(Retries {
                attempts: 1,
                initial_ms: 0,
                max_ms: 0,
                exponent: 1.0,
                statuses: Vec::new(),
                connection_errors: false,
            })
        }
        other => {
            return Err(format!(
                "`strategy` must be `backoff` or `none`, not {other:?}"
            ))
        }
    }
    let backoff = value.get("backoff").ok_or("`backoff` is missing")?;
    let initial = number(backoff, "initialInterval").unwrap_or(500.0);
    let max = number(backoff, "maxInterval").unwrap_or(60_000.0);
    let elapsed = number(backoff, "maxElapsedTime").unwrap_or(3_600_000.0);
    let exponent = number(backoff, "exponent").unwrap_or(1.5);
    let valid = |n: f64| n.is_finite() && n >= 0.0;
    if !(valid(initial) && valid(max) && valid(elapsed) && exponent.is_finite() && exponent >= 1.0)
    {
        return Err(
            "the backoff's times must be non-negative and its exponent at least 1".to_owned(),
        );
    }
    let mut statuses = Vec::new();
    for code in value
        .get("statusCodes")
        .and_then(Value::as_array)
        .ok_or("`statusCodes` must be a list")?
    {
        statuses.push(status_range(code).ok_or(format!("{code} is not a status code or range"))?);
    }
    Ok(Retries {
        attempts: attempts(initial, max, elapsed, exponent),
        initial_ms: initial as u64,
        max_ms: max as u64,
        exponent,
        statuses,
        connection_errors: value
            .get("retryConnectionErrors")
            .and_then(Value::as_bool)
            .unwrap_or(false),
    })
}

/// `503`, `"503"` or `"5XX"` as a range of statuses.
fn status_range(code: &Value) -> Option<(u16, u16)> {
    let text = match code {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        _ => return None,
    };
    if let Some(hundreds) = text.strip_suffix("XX").or_else(|| text.strip_suffix("xx")) {
        let hundreds: u16 = hundreds.parse().ok().filter(|h| (1..=5).contains(h))?;
        return Some((hundreds * 100, hundreds * 100 + 99));
    }
    let code: u16 = text.parse().ok().filter(|c| (100..=599).contains(c))?;
    Some((code, code))
}

/// How many attempts fit in `elapsed` milliseconds of waits, each `exponent` times the one
/// before from `initial`, capped at `max`.
fn attempts(initial: f64, max: f64, elapsed: f64, exponent: f64) -> u32 {
    let mut attempts = 1;
    let mut waited = 0.0;
    let mut wait = initial;
    while attempts < MOST_ATTEMPTS {
        waited += wait.min(max);
        if waited > elapsed {
            break;
        }
        attempts += 1;
        wait *= exponent;
    }
    attempts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speakeasys_example_becomes_a_policy() {
        let value = serde_json::json!({
            "strategy": "backoff",
            "backoff": { "initialInterval": 500, "maxInterval": 60000, "maxElapsedTime": 3600000, "exponent": 1.5 },
            "statusCodes": ["5XX", 429, "408"],
            "retryConnectionErrors": true
        });
        let retries = read(&value).unwrap();
        assert_eq!(retries.statuses, [(500, 599), (429, 429), (408, 408)]);
        assert!(retries.connection_errors);
        // Twelve waits from 0.5 s grow to the 60 s cap (127.7 s), then 57 waits of 60 s
        // fit in the rest of the hour: 69 waits, 70 attempts.
        assert_eq!(retries.attempts, 70);
        assert_eq!(attempts(1000.0, 1000.0, 2500.0, 2.0), 3);
        assert_eq!(attempts(1000.0, 1000.0, 500.0, 2.0), 1);
    }

    #[test]
    fn what_cannot_be_read_is_refused() {
        assert!(read(&serde_json::json!({ "strategy": "jitter" })).is_err());
        assert!(read(&serde_json::json!({ "strategy": "backoff" })).is_err());
        let bad = serde_json::json!({
            "strategy": "backoff", "backoff": { "exponent": 0.5 }, "statusCodes": []
        });
        assert!(read(&bad).is_err());
        let bad_status = serde_json::json!({
            "strategy": "backoff", "backoff": {}, "statusCodes": ["6XX"]
        });
        assert!(read(&bad_status).is_err());
        assert_eq!(
            read(&serde_json::json!({ "strategy": "none" }))
                .unwrap()
                .attempts,
            1
        );
    }
}
