//! The harness: a crate that depends on the crate generated from the description and
//! runs each operation's generated code, nothing else. Its binary has two modes, each
//! reading JSON lines on standard input and writing one JSON line per input:
//!
//! - `build`: a case's parameters and body (JSON, by wire name) are read into the
//!   generated types field by field, written back to JSON (what the types made of them,
//!   for the round trip), and the request is built with `authorized_request`: method,
//!   URI, headers and body, or the `EncodeError` that refused it;
//! - `decode`: a response (status, headers, body) is decoded with the operation's
//!   generated `decode`: `Ok Variant`, `Err Variant` or the `DecodeError`.
//!
//! Sending, and everything else, is the tool's: this crate is the generated code under
//! test and the least glue that can drive it.

use std::fmt::Write as _;

use codegen::model::{Api, Operation, Payload, SchemeKind};

/// The harness's `Cargo.toml`, package `name`; `api` is the generated crate's directory.
pub fn manifest(name: &str, api: &str) -> String {
    format!(
        "# Written by `cargo run -p tools -- prism`.\n\
         [package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\n\
         api = {{ package = \"prism-api\", path = \"{api}\" }}\n\
         base64 = \"0.22\"\n\
         http = \"1\"\n\
         serde = \"1\"\n\
         serde_json = \"1\"\n\
         # A body may be a scalar type of the generated crate's dependencies\n\
         # (`Vec<uuid::Uuid>`), which the harness names as it.\n\
         chrono = {{ version = \"0.4\", default-features = false }}\n\
         uuid = \"1\"\n\n\
         [profile.dev]\ndebug = false\n\n\
         [workspace]\n"
    )
}

/// The harness's `src/main.rs`: the dispatch over `api`'s operations, then the part that
/// is the same for every description (`HARNESS`).
pub fn main_rs(api: &Api) -> String {
    let mut out = String::from(
        "// Written by `cargo run -p tools -- prism`.\n#![allow(deprecated, dead_code, unused_variables)]\n\n",
    );
    out.push_str(
        "fn build(index: usize, base: &str, case: &Value) -> Result<Built, String> {\n    match index {\n",
    );
    for (index, op) in api.operations.iter().enumerate() {
        let _ = writeln!(
            out,
            "        {index} => {{\n{}        }}",
            build_arm(api, op)
        );
    }
    out.push_str("        _ => Err(format!(\"no operation {index}\")),\n    }\n}\n\n");
    out.push_str(
        "fn decode(index: usize, status: http::StatusCode, headers: &http::HeaderMap, body: &[u8]) -> String {\n    match index {\n",
    );
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

/// The statements that read `op`'s parameters and body from `case`, write them back and
/// build its request.
fn build_arm(api: &Api, op: &Operation) -> String {
    let marker = &op.names.marker;
    let mut out = String::new();
    if op.params.is_empty() {
        out.push_str("            let params = ();\n            let params_back = json!({});\n");
    } else {
        let _ = writeln!(
            out,
            "            let params = api::operations::{} {{",
            op.names.params
        );
        for param in &op.params {
            let _ = writeln!(
                out,
                "                {}: field(&case[\"params\"], {:?})?,",
                param.name, param.wire
            );
        }
        // Member by member: one `json!` over every parameter recurses once per member,
        // past the compiler's limit at about fifty (EC2's `RunInstances`).
        out.push_str("            };\n            let mut params_back = serde_json::Map::new();\n");
        for param in &op.params {
            let _ = writeln!(
                out,
                "            params_back.insert({:?}.to_owned(), back(&params.{}));",
                param.wire, param.name
            );
        }
        out.push_str("            let params_back = Value::Object(params_back);\n");
    }
    let (body, body_back) = body_statements(api, op);
    out.push_str(&body);
    let _ = writeln!(
        out,
        "            Ok(finish::<api::operations::{marker}>(base, &params, &body, params_back, {body_back}))"
    );
    out
}

/// The statements that read `op`'s body (in its default media type) from `case["body"]`
/// into `body`, and the expression of what it writes back (`Value::Null` for text and
/// bytes, which are not JSON).
fn body_statements(api: &Api, op: &Operation) -> (String, &'static str) {
    let Some((body, content)) = op
        .body
        .as_ref()
        .and_then(|b| Some((b, b.contents.first()?)))
    else {
        return ("            let body = ();\n".to_owned(), "Value::Null");
    };
    let (ty, json) = match &content.payload {
        Payload::Empty => return ("            let body = ();\n".to_owned(), "Value::Null"),
        Payload::Json(ty) | Payload::Form(ty) => (rust(api, ty), true),
        Payload::Text | Payload::Events(_) => ("String".to_owned(), false),
        Payload::Binary => ("Vec<u8>".to_owned(), false),
    };
    let mut out = format!("            let inner: {ty} = value(&case[\"body\"])?;\n");
    out.push_str(if json {
        "            let body_back = back(&inner);\n"
    } else {
        "            let body_back = Value::Null;\n"
    });
    let mut value = "inner".to_owned();
    if let Some(choice) = &body.choice {
        value = format!("api::operations::{choice}::{}({value})", content.variant);
    }
    if !body.required {
        value = format!("Some({value})");
    }
    let _ = writeln!(out, "            let body = {value};");
    (out, "body_back")
}

/// The expression of `op`'s body, in its default media type, read from the JSON value
/// `source` with `value` (`()` without a body): for the crates of the fuzz target.
pub(crate) fn body_value(api: &Api, op: &Operation, source: &str) -> String {
    let Some((body, content)) = op
        .body
        .as_ref()
        .and_then(|b| Some((b, b.contents.first()?)))
    else {
        return "()".to_owned();
    };
    let ty = match &content.payload {
        Payload::Empty => return "()".to_owned(),
        Payload::Json(ty) | Payload::Form(ty) => rust(api, ty),
        Payload::Text | Payload::Events(_) => "String".to_owned(),
        Payload::Binary => "Vec<u8>".to_owned(),
    };
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
use std::io::BufRead as _;

use api::runtime::Operation;
use base64::Engine as _;
use serde_json::{json, Value};

/// What `build` made of a case: the request or why it was refused, and what the
/// generated types wrote back of the parameters and the body.
struct Built {
    request: Result<http::Request<Vec<u8>>, String>,
    params_back: Value,
    body_back: Value,
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

/// What a generated value writes: the JSON it serializes to.
fn back<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or_else(|error| json!({ "unwritable": error.to_string() }))
}

fn finish<O: Operation>(base: &str, params: &O::Params, body: &O::Body, params_back: Value, body_back: Value) -> Built {
    let request = O::authorized_request(base, params, body, &credentials()).map_err(|error| error.to_string());
    Built { request, params_back, body_back }
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

fn bytes(text: &Value) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD.decode(text.as_str().unwrap_or_default()).unwrap_or_default()
}

fn text(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn build_line(line: &Value) -> Value {
    let index = line["index"].as_u64().unwrap_or(u64::MAX) as usize;
    let base = line["base"].as_str().unwrap_or_default();
    match build(index, base, line) {
        Err(unfit) => json!({ "case": line["case"], "unfit": unfit }),
        Ok(built) => {
            let mut out = json!({ "case": line["case"], "params_back": built.params_back, "body_back": built.body_back });
            match built.request {
                Err(refusal) => out["refusal"] = Value::String(refusal),
                Ok(request) => {
                    let headers: Vec<Value> = request.headers().iter()
                        .map(|(name, value)| json!([name.as_str(), text(value.as_bytes())]))
                        .collect();
                    out["request"] = json!({
                        "method": request.method().as_str(),
                        "uri": request.uri().to_string(),
                        "headers": headers,
                        "body": text(request.body()),
                    });
                }
            }
            out
        }
    }
}

fn decode_line(line: &Value) -> Value {
    let index = line["index"].as_u64().unwrap_or(u64::MAX) as usize;
    let status = http::StatusCode::from_u16(line["status"].as_u64().unwrap_or(0) as u16);
    let Ok(status) = status else {
        return json!({ "case": line["case"], "decoded": "not a status" });
    };
    let mut headers = http::HeaderMap::new();
    for pair in line["headers"].as_array().into_iter().flatten() {
        let name = http::HeaderName::from_bytes(pair[0].as_str().unwrap_or_default().as_bytes());
        let value = http::HeaderValue::from_bytes(&bytes(&pair[1]));
        if let (Ok(name), Ok(value)) = (name, value) {
            headers.append(name, value);
        }
    }
    let decoded = decode(index, status, &headers, &bytes(&line["body"]));
    json!({ "case": line["case"], "decoded": decoded })
}

fn main() {
    let mode = std::env::args().nth(1).expect("build or decode");
    for line in std::io::stdin().lock().lines() {
        let line: Value = serde_json::from_str(&line.expect("a line")).expect("a JSON line");
        let out = match mode.as_str() {
            "build" => build_line(&line),
            _ => decode_line(&line),
        };
        println!("{out}");
    }
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    /// EC2's `RunInstances` has about fifty parameters: one `json!` over all of them
    /// passed the compiler's recursion limit and the harness did not build.
    #[test]
    fn parameters_are_written_back_one_statement_each() {
        let params: Vec<String> = (0..200)
            .map(|n| {
                format!(r#"{{"name": "p{n}", "in": "query", "schema": {{"type": "string"}}}}"#)
            })
            .collect();
        let spec = format!(
            r#"{{"openapi": "3.0.0", "info": {{"title": "t", "version": "1"}},
                "paths": {{"/a": {{"get": {{"operationId": "many", "parameters": [{}],
                "responses": {{"204": {{"description": "none"}}}}}}}}}}}}"#,
            params.join(",")
        );
        let generated = codegen::generate(&codegen::Config::text("many.json", spec)).unwrap();
        let main = main_rs(&generated.models[0]);
        for n in 0..200 {
            assert!(
                main.contains(&format!(
                    "params_back.insert(\"p{n}\".to_owned(), back(&params.p{n}));"
                )),
                "p{n}"
            );
        }
        assert!(!main.contains("params_back = json!({\n"));
    }
}
