//! Reading what Prism says of a request: the `sl-violations` header and the
//! problem+json bodies of its own answers. Anything that cannot be read is an error, never
//! silence.

use serde_json::Value;

use super::Answer;

/// One violation, as Prism reports it.
pub struct Violation {
    /// `["request", "query", "color", "0"]`: the leading `request` is added to the
    /// locations of Prism's own 422, which lack it.
    pub location: Vec<String>,
    pub code: String,
    pub message: String,
}

/// The request violations Prism reports in an answer, or why they cannot be read.
pub fn request_violations(answer: &Answer) -> Result<Vec<Violation>, String> {
    let mut found = Vec::new();
    for entry in header_violations(answer)? {
        if entry.location.first().map(String::as_str) == Some("request") {
            found.push(entry);
        }
    }
    if let Some(problem) = problem(answer)? {
        let kind = problem
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if kind.ends_with("#UNPROCESSABLE_ENTITY") {
            let list = problem
                .get("validation")
                .and_then(Value::as_array)
                .ok_or_else(|| {
                    format!("a 422 of Prism's without its list of violations: {problem}")
                })?;
            for entry in list {
                // A violation of the request as a whole ("Body parameter is required")
                // has no location in the 422's list; the header gives it as `["request"]`.
                let mut entry = entry.clone();
                if entry.get("location").is_none() && entry.is_object() {
                    entry["location"] = Value::Array(Vec::new());
                }
                let entry = &entry;
                let mut violation = violation(entry)?;
                violation.location.insert(0, "request".to_owned());
                if severity_error(entry) {
                    found.push(violation);
                }
            }
        } else if kind.ends_with("#SCHEMA_TOO_COMPLEX")
            || kind.ends_with("#NO_COMPLEX_OBJECT_TEXT")
            || cannot_serialize(&problem)
        {
            // About Prism's answer, not the request (Prism validated the request before
            // and its violations are in the header): see `statuses`.
        } else if kind.contains("stoplight.io/prism/errors#") {
            // NO_PATH_MATCHED_ERROR, UNAUTHORIZED …: the request did not fit at all.
            found.push(Violation {
                location: vec!["request".to_owned()],
                code: kind.rsplit('#').next().unwrap_or_default().to_owned(),
                message: problem.to_string(),
            });
        }
    }
    Ok(found)
}

/// Whether Prism's problem is that it has no serializer for its answer's media type
/// (`Cannot find serializer for application/x-yaml`): it failed writing its answer, after
/// it validated the request.
fn cannot_serialize(problem: &Value) -> bool {
    problem
        .get("type")
        .and_then(Value::as_str)
        .is_some_and(|kind| kind.ends_with("#UNKNOWN"))
        && problem
            .get("title")
            .and_then(Value::as_str)
            .is_some_and(|title| title.starts_with("Cannot find serializer for "))
}

/// The `sl-violations` header's entries of severity `Error` (deprecation warnings are
/// not violations): none without the header; an error when it is not UTF-8 or not a
/// JSON list. Prism cuts a long list into `Too many violations! ` and its first 8092
/// characters (`prism-http-server/dist/server.js:30-40`), and lists the request's
/// violations before the response's (`:75`): once a complete entry about the response
/// is read, every one about the request was, and the complete entries are the answer.
/// A cut list without one is an error.
pub fn header_violations(answer: &Answer) -> Result<Vec<Violation>, String> {
    let Some(raw) = answer.header("sl-violations") else {
        return Ok(Vec::new());
    };
    let text = std::str::from_utf8(raw)
        .map_err(|_| "the sl-violations header is not UTF-8 text".to_owned())?;
    if let Some(cut) = text.strip_prefix("Too many violations! ") {
        let entries = complete_entries(cut);
        let about_response = entries
            .iter()
            .any(|entry| entry.pointer("/location/0").and_then(Value::as_str) == Some("response"));
        if !about_response {
            return Err(format!(
                "the sl-violations header was cut before the request's violations ended: {}",
                text.chars().take(120).collect::<String>()
            ));
        }
        return entries
            .iter()
            .filter(|entry| severity_error(entry))
            .map(violation)
            .collect();
    }
    let list: Vec<Value> = serde_json::from_str(text).map_err(|error| {
        format!(
            "the sl-violations header is not a JSON list ({error}): {}",
            text.chars().take(120).collect::<String>()
        )
    })?;
    list.iter()
        .filter(|entry| severity_error(entry))
        .map(violation)
        .collect()
}

/// The complete values at the start of a JSON list that was cut short.
fn complete_entries(text: &str) -> Vec<Value> {
    let mut entries = Vec::new();
    let Some(mut rest) = text.strip_prefix('[') else {
        return entries;
    };
    loop {
        let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<Value>();
        let Some(Ok(entry)) = stream.next() else {
            return entries;
        };
        entries.push(entry);
        rest = rest[stream.byte_offset()..].trim_start();
        match rest.strip_prefix(',') {
            Some(next) => rest = next,
            None => return entries,
        }
    }
}

fn severity_error(entry: &Value) -> bool {
    entry.get("severity").and_then(Value::as_str) != Some("Warning")
}

fn violation(entry: &Value) -> Result<Violation, String> {
    let location = entry
        .get("location")
        .and_then(Value::as_array)
        .ok_or_else(|| format!("a violation without a location: {entry}"))?
        .iter()
        .map(|part| {
            part.as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| part.to_string())
        })
        .collect();
    Ok(Violation {
        location,
        code: match entry.get("code") {
            Some(Value::String(code)) => code.clone(),
            Some(other) => other.to_string(),
            None => String::new(),
        },
        message: entry
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
    })
}

/// The problem+json body of one of Prism's own answers, read whole; an error when it does
/// not parse.
pub fn problem(answer: &Answer) -> Result<Option<Value>, String> {
    let media = answer
        .header("content-type")
        .and_then(|v| std::str::from_utf8(v).ok())
        .unwrap_or_default();
    if !media.starts_with("application/problem+json") {
        return Ok(None);
    }
    let value: Value = serde_json::from_slice(&answer.body).map_err(|error| {
        format!(
            "a problem+json answer that is not JSON ({error}): {}",
            String::from_utf8_lossy(&answer.body)
                .chars()
                .take(120)
                .collect::<String>()
        )
    })?;
    // Only Prism's own problems: a documented problem+json error body is the API's.
    let own = value
        .get("type")
        .and_then(Value::as_str)
        .is_some_and(|t| t.contains("stoplight.io/prism/errors#"));
    Ok(own.then_some(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_violations_header_is_a_failure_not_silence() {
        let answer = Answer {
            headers: vec![(
                "sl-violations".to_owned(),
                b"Too many violations! [{\"location\":[\"request\"".to_vec(),
            )],
            ..Answer::default()
        };
        assert!(request_violations(&answer).is_err());
        let latin1 = Answer {
            headers: vec![("sl-violations".to_owned(), vec![b'[', 0xe4, b']'])],
            ..Answer::default()
        };
        assert!(request_violations(&latin1).is_err());
    }

    /// Spanner's scans: Prism's mock breaks the description in so many places that it
    /// cut the header; the request's violations come first, so a complete entry about
    /// the response shows that every one about the request was read.
    #[test]
    fn a_cut_violations_header_is_read_up_to_the_cut_when_the_request_part_is_whole() {
        let header = |text: &str| Answer {
            headers: vec![("sl-violations".to_owned(), text.as_bytes().to_vec())],
            ..Answer::default()
        };
        let request = r#"{"location":["request","query","n"],"severity":"Error","code":"type","message":"x"}"#;
        let response = r#"{"location":["response","body","a"],"severity":"Error","code":"type","message":"y"}"#;
        let only_response = header(&format!(
            "Too many violations! [{response},{response},{{\"loc"
        ));
        assert!(request_violations(&only_response).unwrap().is_empty());
        let both = header(&format!(
            "Too many violations! [{request}, {response},{{\"loc"
        ));
        let found = request_violations(&both).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].location, ["request", "query", "n"]);
        // Cut among the request's own: more of them may have followed.
        let requests_only = header(&format!(
            "Too many violations! [{request},{request},{{\"loc"
        ));
        assert!(request_violations(&requests_only).is_err());
    }

    /// Semantria's batches: Prism's 422 lists a missing body without a location.
    #[test]
    fn a_violation_of_the_whole_request_is_read_without_a_location() {
        let answer = Answer {
            status: 422,
            headers: vec![("content-type".to_owned(), b"application/problem+json".to_vec())],
            body: br#"{"type":"https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY","title":"Invalid request","status":422,"validation":[{"severity":"Error","code":"required","message":"Body parameter is required"}]}"#.to_vec(),
            ..Answer::default()
        };
        let found = request_violations(&answer).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].location, ["request"]);
        assert_eq!(found[0].code, "required");
    }

    #[test]
    fn warnings_are_not_violations() {
        let answer = Answer {
            headers: vec![(
                "sl-violations".to_owned(),
                br#"[{"location":["request","query","old"],"severity":"Warning","code":"deprecated","message":"x"}]"#.to_vec(),
            )],
            ..Answer::default()
        };
        assert!(request_violations(&answer).unwrap().is_empty());
    }

    /// Prism validates the request before it writes its mock: when the writing fails
    /// (`NO_COMPLEX_OBJECT_TEXT`), the request's violations are still in the header, and
    /// the failure itself is not one of them.
    #[test]
    fn a_mock_prism_cannot_write_is_not_a_request_violation() {
        let answer = Answer {
            status: 500,
            headers: vec![
                ("content-type".to_owned(), b"application/problem+json".to_vec()),
                (
                    "sl-violations".to_owned(),
                    br#"[{"location":["request","query","n"],"severity":"Error","code":"type","message":"x"}]"#.to_vec(),
                ),
            ],
            body: br#"{"type":"https://stoplight.io/prism/errors#NO_COMPLEX_OBJECT_TEXT","title":"Cannot serialise complex objects as text","status":500}"#.to_vec(),
            ..Answer::default()
        };
        let found = request_violations(&answer).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].location, ["request", "query", "n"]);
    }
}
