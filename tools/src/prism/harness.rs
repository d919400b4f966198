//! The harness: a crate that depends on the crate generated from the description and
//! sends each operation through it. For every case it builds the request with the
//! generated `authorized_request` (parameters and body read from the case's JSON into the
//! generated types), sends it, and decodes the answer with the generated `decode`,
//! printing one JSON line per request for `prism::run` to judge.

use std::fmt::Write as _;

use codegen::model::{Api, Operation, Payload, SchemeKind};

/// The harness's `Cargo.toml`, package `name`; `api` is the generated crate's directory.
pub fn manifest(name: &str, api: &str) -> String {
    format!(
        "# Written by `cargo xtask prism`.\n\
         [package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\n\
         api = {{ package = \"prism-api\", path = \"{api}\" }}\n\
         http = \"1\"\n\
         reqwest = {{ version = \"0.12\", default-features = false }}\n\
         serde = \"1\"\n\
         serde_json = \"1\"\n\
         tokio = {{ version = \"1\", features = [\"rt\", \"macros\"] }}\n\n\
         [workspace]\n"
    )
}

/// The harness's `src/main.rs`: the dispatch over `api`'s operations, then the fixed
/// part (`HARNESS`).
pub fn main_rs(api: &Api) -> String {
    let mut out =
        String::from("// Written by `cargo xtask prism`.\n#![allow(deprecated, dead_code)]\n\n");
    out.push_str("fn request(index: usize, base: &str, case: &Case) -> Result<http::Request<Vec<u8>>, String> {\n    match index {\n");
    for (index, op) in api.operations.iter().enumerate() {
        let _ = writeln!(
            out,
            "        {index} => {{\n{}        }}",
            request_arm(api, op)
        );
    }
    out.push_str("        _ => Err(format!(\"no operation {index}\")),\n    }\n}\n\n");
    out.push_str("fn decode(index: usize, status: http::StatusCode, headers: &http::HeaderMap, body: &[u8]) -> String {\n    match index {\n");
    for (index, op) in api.operations.iter().enumerate() {
        let _ = writeln!(
            out,
            "        {index} => show::<api::operations::{}>(status, headers, body),",
            op.names.marker
        );
    }
    out.push_str("        _ => String::new(),\n    }\n}\n\n");
    out.push_str(&credentials(api));
    out.push_str(HARNESS);
    out
}

/// The Rust type `ty` is, seen from the harness.
fn rust(api: &Api, ty: &codegen::model::Ty) -> String {
    api.rust_type(ty).replace("crate :: ", "api :: ")
}

fn payload_type(api: &Api, payload: &Payload) -> String {
    match payload {
        Payload::Empty => "()".to_owned(),
        Payload::Json(ty) | Payload::Form(ty) => rust(api, ty),
        Payload::Text => "String".to_owned(),
        Payload::Binary => "Vec<u8>".to_owned(),
    }
}

/// The statements that build `op`'s request from `case`.
fn request_arm(api: &Api, op: &Operation) -> String {
    let marker = &op.names.marker;
    let mut out = String::new();
    if op.params.is_empty() {
        out.push_str("            let params = ();\n");
    } else {
        let _ = writeln!(
            out,
            "            let params = api::operations::{} {{",
            op.names.params
        );
        for param in &op.params {
            let _ = writeln!(
                out,
                "                {}: field(&case.params, {:?})?,",
                param.name, param.wire
            );
        }
        out.push_str("            };\n");
    }
    let _ = writeln!(
        out,
        "            let body = {};",
        body_value(api, op, "&case.body")
    );
    let _ = writeln!(
        out,
        "            build::<api::operations::{marker}>(base, &params, &body)"
    );
    out
}

/// The expression of `op`'s body, in its default media type, read from the JSON value
/// `source` with `value` (`()` without a body).
pub(crate) fn body_value(api: &Api, op: &Operation, source: &str) -> String {
    let Some((body, content)) = op
        .body
        .as_ref()
        .and_then(|b| Some((b, b.contents.first()?)))
    else {
        return "()".to_owned();
    };
    let ty = payload_type(api, &content.payload);
    let mut value = format!("value::<{ty}>({source})?");
    if let Some(choice) = &body.choice {
        value = format!("api::operations::{choice}::{}({value})", content.variant);
    }
    if body.required {
        value
    } else {
        format!("Some({value})")
    }
}

/// `credentials()`: a secret for every scheme; an API key in `Authorization` goes with
/// Elastic's `ApiKey` prefix.
fn credentials(api: &Api) -> String {
    let mut out = String::from(
        "fn credentials() -> api::auth::Credentials {\n    api::auth::Credentials {\n",
    );
    for scheme in &api.security_schemes {
        let value = match &scheme.kind {
            SchemeKind::Bearer => "Some(\"prism-token\".to_owned())".to_owned(),
            SchemeKind::Basic => "Some(api::runtime::Basic::new(\"prism\", \"secret\"))".to_owned(),
            SchemeKind::ApiKey { name, .. } if name.eq_ignore_ascii_case("authorization") => {
                "Some(api::runtime::ApiKey::with_prefix(\"ApiKey\", \"prism-key\"))".to_owned()
            }
            SchemeKind::ApiKey { .. } => {
                "Some(api::runtime::ApiKey::new(\"prism-key\"))".to_owned()
            }
        };
        let _ = writeln!(out, "        {}: {value},", scheme.field);
    }
    out.push_str("    }\n}\n");
    out
}

/// The part of the harness that is the same for every description.
const HARNESS: &str = r#"
use api::runtime::Operation;
use serde_json::Value;

/// One operation to send: its parameters by wire name, its body, and the statuses to
/// ask Prism for.
struct Case {
    index: usize,
    params: Value,
    body: Value,
    prefer: Vec<u16>,
}

fn field<T: serde::de::DeserializeOwned>(params: &Value, wire: &str) -> Result<T, String> {
    let value = params.get(wire).cloned().unwrap_or(Value::Null);
    serde_json::from_value(value.clone())
        .map_err(|error| format!("parameter `{wire}`: {value} does not fit the generated type: {error}"))
}

fn value<T: serde::de::DeserializeOwned>(body: &Value) -> Result<T, String> {
    serde_json::from_value(body.clone())
        .map_err(|error| format!("body: {body} does not fit the generated type: {error}"))
}

fn build<O: Operation>(base: &str, params: &O::Params, body: &O::Body) -> Result<http::Request<Vec<u8>>, String> {
    O::authorized_request(base, params, body, &credentials()).map_err(|error| error.to_string())
}

/// What `decode` made of a response: `Ok Variant`, `Err Variant`, or the decode error.
fn show<O: Operation>(status: http::StatusCode, headers: &http::HeaderMap, body: &[u8]) -> String
where
    O::Responses: std::fmt::Debug,
    O::Errors: std::fmt::Debug,
{
    let variant = |debug: String| debug.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect::<String>();
    match O::decode(status, headers, body) {
        Ok(Ok(success)) => format!("Ok {}", variant(format!("{success:?}"))),
        Ok(Err(error)) => format!("Err {}", variant(format!("{error:?}"))),
        Err(error) => format!("DecodeError {error}"),
    }
}

fn cases(path: &str) -> Vec<Case> {
    let text = std::fs::read_to_string(path).expect("the cases file");
    let all: Vec<Value> = serde_json::from_str(&text).expect("cases are JSON");
    all.into_iter()
        .map(|case| Case {
            index: case["index"].as_u64().unwrap_or_default() as usize,
            params: case["params"].clone(),
            body: case["body"].clone(),
            prefer: case["prefer"].as_array().into_iter().flatten().filter_map(|c| c.as_u64()).map(|c| c as u16).collect(),
        })
        .collect()
}

async fn send(client: &reqwest::Client, case: &Case, base: &str, prefer: Option<u16>) -> Value {
    let mut report = serde_json::json!({ "index": case.index, "prefer": prefer });
    let mut request = match request(case.index, base, case) {
        Ok(request) => request,
        Err(error) => {
            report["error"] = Value::String(error);
            return report;
        }
    };
    if let Some(code) = prefer {
        let value = http::HeaderValue::from_str(&format!("code={code}")).expect("a header value");
        request.headers_mut().insert("prefer", value);
    }
    let request = match reqwest::Request::try_from(request) {
        Ok(request) => request,
        Err(error) => {
            report["error"] = Value::String(error.to_string());
            return report;
        }
    };
    let response = match client.execute(request).await {
        Ok(response) => response,
        Err(error) => {
            report["error"] = Value::String(format!("no answer: {error}"));
            return report;
        }
    };
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.bytes().await.unwrap_or_default();
    report["status"] = Value::from(status.as_u16());
    report["length"] = Value::from(body.len());
    if let Some(violations) = headers.get("sl-violations").and_then(|v| v.to_str().ok()) {
        report["violations"] = Value::String(violations.to_owned());
    }
    let problem = headers.get("content-type").and_then(|v| v.to_str().ok());
    if problem.is_some_and(|t| t.starts_with("application/problem+json")) {
        report["problem"] = Value::String(String::from_utf8_lossy(&body).chars().take(4000).collect());
    }
    report["decoded"] = Value::String(decode(case.index, status, &headers, &body));
    report
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut args = std::env::args().skip(1);
    let base = args.next().expect("the base URL");
    let cases = cases(&args.next().expect("the cases file"));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client");
    for case in &cases {
        println!("{}", send(&client, case, &base, None).await);
        for code in &case.prefer {
            println!("{}", send(&client, case, &base, Some(*code)).await);
        }
    }
}
"#;
