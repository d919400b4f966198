//! Refusals: the answers a server gives instead of calling a handler (400 with every
//! violation, 401, 403, 404, 405, 406, 415, 501), written as RFC 9457 problem details
//! (`application/problem+json`), or in the operation's own documented error response
//! when its schema can hold them.

use serde_json::{json, Map, Value};

use super::check::{satisfies, Direction};
use super::make::make;
use super::rules::Rules;

/// Where in a request a violation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A path parameter.
    Path,
    /// A query parameter.
    Query,
    /// A header parameter.
    Header,
    /// A cookie parameter.
    Cookie,
    /// The body.
    Body,
}

impl Place {
    /// The place as a location names it: `path`, `query`, `header`, `cookie`, `body`.
    pub fn as_str(self) -> &'static str {
        match self {
            Place::Path => "path",
            Place::Query => "query",
            Place::Header => "header",
            Place::Cookie => "cookie",
            Place::Body => "body",
        }
    }
}

/// One constraint of the description a request breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Where: a parameter's place, or the body.
    pub place: Place,
    /// The parameter's name; empty for the body.
    pub name: String,
    /// A JSON pointer into the parameter's value or the body (`""` for all of it).
    pub pointer: String,
    /// The keyword broken (`required`, `maximum`, `type`, `oneOf` …).
    pub keyword: &'static str,
    /// What is wrong, in a sentence.
    pub detail: String,
}

impl Violation {
    /// `query.per_page`, `header.X-Request-ID`, `body`.
    pub fn location(&self) -> String {
        if self.name.is_empty() {
            self.place.as_str().to_owned()
        } else {
            format!("{}.{}", self.place.as_str(), self.name)
        }
    }

    /// A violation of the body at `pointer`.
    pub fn body(pointer: String, keyword: &'static str, detail: String) -> Violation {
        Violation {
            place: Place::Body,
            name: String::new(),
            pointer,
            keyword,
            detail,
        }
    }
}

/// A request the server answers without calling its handler: the status, what is wrong,
/// and the headers the status needs (`WWW-Authenticate` for a 401, `Allow` for a 405).
#[derive(Debug, Clone)]
pub struct Refusal {
    /// The status of the answer.
    pub status: http::StatusCode,
    /// What is wrong, in a sentence.
    pub detail: String,
    /// Each constraint broken, for a 400.
    pub violations: Vec<Violation>,
    /// Headers of the answer.
    pub headers: Vec<(http::HeaderName, String)>,
}

impl Refusal {
    /// A refusal with `status` and `detail`.
    pub fn new(status: http::StatusCode, detail: impl Into<String>) -> Refusal {
        Refusal {
            status,
            detail: detail.into(),
            violations: Vec::new(),
            headers: Vec::new(),
        }
    }

    /// A 400 listing `violations`.
    pub fn invalid(violations: Vec<Violation>) -> Refusal {
        let detail = match violations.len() {
            1 => "The request breaks 1 constraint of the API description.".to_owned(),
            n => format!("The request breaks {n} constraints of the API description."),
        };
        Refusal {
            violations,
            ..Refusal::new(http::StatusCode::BAD_REQUEST, detail)
        }
    }

    /// The same refusal with a header.
    pub fn with_header(mut self, name: http::HeaderName, value: impl Into<String>) -> Refusal {
        self.headers.push((name, value.into()));
        self
    }

    /// The problem details document (RFC 9457), `instance` being the request's path:
    /// `type`, `title`, `status`, `detail`, `instance`, and for a 400 `violations`, each
    /// with its `location`, `pointer`, `keyword` and `detail`.
    pub fn document(&self, instance: &str) -> Value {
        let mut document = json!({
            "type": "about:blank",
            "title": self.status.canonical_reason().unwrap_or("Error"),
            "status": self.status.as_u16(),
            "detail": self.detail,
            "instance": instance,
        });
        if !self.violations.is_empty() {
            let violations: Vec<Value> = self
                .violations
                .iter()
                .map(|violation| {
                    json!({
                        "location": violation.location(),
                        "pointer": violation.pointer,
                        "keyword": violation.keyword,
                        "detail": violation.detail,
                    })
                })
                .collect();
            document["violations"] = Value::Array(violations);
        }
        document
    }
}

/// The body of a refusal in the schema an operation documents for its status: the
/// problem document itself when the schema takes it; else a value made from the schema
/// with the document's members, and a `message`, `error` or `description` text, put
/// wherever the schema takes them; `None` when neither fits.
pub fn fitted(rules: &Rules, rule: u32, document: &Value) -> Option<Value> {
    if satisfies(rules, rule, document, Direction::Response) {
        return Some(document.clone());
    }
    let mut made = make(rules, rule, Direction::Response)?;
    if let (Value::Object(members), Value::Object(ours)) = (&mut made, document) {
        let detail = ours.get("detail").cloned().unwrap_or(Value::Null);
        let candidates: Map<String, Value> = ours
            .iter()
            .map(|(key, value)| (key.clone(), value.clone()))
            .chain(
                [
                    "message",
                    "error",
                    "description",
                    "error_description",
                    "reason",
                ]
                .into_iter()
                .map(|key| (key.to_owned(), detail.clone())),
            )
            .collect();
        for (key, value) in candidates {
            let before = members.insert(key.clone(), value);
            let mut tried = Value::Object(std::mem::take(members));
            let fits = satisfies(rules, rule, &tried, Direction::Response);
            if let Value::Object(back) = &mut tried {
                *members = std::mem::take(back);
            }
            if !fits {
                match before {
                    Some(before) => {
                        members.insert(key, before);
                    }
                    None => {
                        members.remove(&key);
                    }
                }
            }
        }
    }
    satisfies(rules, rule, &made, Direction::Response).then_some(made)
}
