//! Decoding realistic responses of the APIs in `specs/` by their status: the documented
//! variant with its fields, typed error-code headers, and the fallback and error for
//! what the description does not promise. None of these may panic.

use generated::camunda_users::models::ProblemDetail;
use generated::camunda_users::operations as camunda;
use generated::elastic_users::operations as elastic;
use generated::runtime::Operation;
use http::{HeaderMap, HeaderValue, StatusCode};

fn status(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap()
}

fn problem_json(code: u16, title: &str, detail: &str) -> Vec<u8> {
    serde_json::json!({
        "type": "about:blank",
        "title": title,
        "status": code,
        "detail": detail,
        "instance": "/v2/users"
    })
    .to_string()
    .into_bytes()
}

#[test]
fn camunda_conflict_is_the_conflict_variant_with_its_fields() {
    let body = problem_json(
        409,
        "ALREADY_EXISTS",
        "A user with username 'demo' already exists",
    );
    let decoded = camunda::CreateUser::decode(status(409), &HeaderMap::new(), &body).unwrap();
    let Err(camunda::CreateUserErrors::Conflict(problem)) = decoded else {
        panic!("expected the Conflict variant, got {decoded:?}");
    };
    assert_eq!(
        problem,
        ProblemDetail {
            type_: "about:blank".into(),
            title: "ALREADY_EXISTS".into(),
            status: 409,
            detail: "A user with username 'demo' already exists".into(),
            instance: "/v2/users".into(),
        }
    );
    let error = camunda::CreateUserErrors::Conflict(problem);
    assert_eq!(
        error.to_string(),
        "409 Conflict: A user with this username already exists."
    );
}

#[test]
fn camunda_created_and_older_accepted_forms() {
    let created = br#"{"username":"demo","name":null,"email":"demo@example.com"}"#;
    match camunda::CreateUser::decode(status(201), &HeaderMap::new(), created).unwrap() {
        Ok(camunda::CreateUserResponses::Created(user)) => {
            assert_eq!(user.username, "demo");
            assert_eq!(user.name, None);
            assert_eq!(user.email.as_deref(), Some("demo@example.com"));
        }
        other => panic!("expected Created, got {other:?}"),
    }
    match camunda::CreateUser::decode(
        status(202),
        &HeaderMap::new(),
        br#"{"userKey":2251799813685249}"#,
    )
    .unwrap()
    {
        Ok(camunda::CreateUserResponses::Accepted(accepted)) => {
            assert_eq!(accepted.user_key, Some(2251799813685249));
        }
        other => panic!("expected Accepted, got {other:?}"),
    }
}

#[test]
fn camunda_unavailable_and_no_content() {
    let body = problem_json(503, "RESOURCE_EXHAUSTED", "Backpressure");
    let decoded = camunda::CreateUser::decode(status(503), &HeaderMap::new(), &body).unwrap();
    let Err(error @ camunda::CreateUserErrors::ServiceUnavailable(_)) = decoded else {
        panic!("expected ServiceUnavailable, got {decoded:?}");
    };
    assert!(error
        .to_string()
        .starts_with("503 Service Unavailable: The service is currently unavailable."));

    let decoded = camunda::DeleteUser::decode(status(204), &HeaderMap::new(), b"").unwrap();
    assert!(
        matches!(decoded, Ok(camunda::DeleteUserResponses::NoContent)),
        "{decoded:?}"
    );
}

#[test]
fn elastic_bad_request_carries_its_typed_error_code() {
    let mut headers = HeaderMap::new();
    headers.insert(
        "x-cloud-error-codes",
        HeaderValue::from_static("user.roles.forbidden"),
    );
    let body = br#"{"errors":[{"code":"user.roles.forbidden","message":"Some of the provided roles are forbidden.","fields":["security.roles"]}]}"#;
    let decoded = elastic::CreateUser::decode(status(400), &headers, body).unwrap();
    let Err(elastic::CreateUserErrors::BadRequest {
        body,
        x_cloud_error_codes,
    }) = decoded
    else {
        panic!("expected BadRequest, got {decoded:?}");
    };
    assert_eq!(
        x_cloud_error_codes,
        Some(elastic::CreateUserBadRequestCloudErrorCodes::UserRolesForbidden)
    );
    assert_eq!(body.errors[0].code, "user.roles.forbidden");
    assert_eq!(
        body.errors[0].fields.as_deref(),
        Some(&["security.roles".to_owned()][..])
    );
}

#[test]
fn elastic_unknown_error_code_is_kept() {
    let mut headers = HeaderMap::new();
    headers.insert(
        "x-cloud-error-codes",
        HeaderValue::from_static("user.something_new"),
    );
    let decoded = elastic::CreateUser::decode(status(409), &headers, br#"{"errors":[]}"#).unwrap();
    let Err(elastic::CreateUserErrors::Conflict {
        x_cloud_error_codes,
        ..
    }) = decoded
    else {
        panic!("expected Conflict, got {decoded:?}");
    };
    assert_eq!(
        x_cloud_error_codes,
        Some(elastic::CreateUserConflictCloudErrorCodes::Unknown(
            "user.something_new".into()
        ))
    );
}

#[test]
fn undocumented_status_keeps_its_raw_body() {
    let decoded =
        camunda::CreateUser::decode(status(418), &HeaderMap::new(), b"I'm a teapot").unwrap();
    let Err(error) = decoded else {
        panic!("expected an error, got {decoded:?}")
    };
    assert_eq!(
        error.to_string(),
        "418 I'm a teapot: a status the description does not document"
    );
    let camunda::CreateUserErrors::Undocumented { status: code, body } = error else {
        panic!("expected Undocumented, got {error:?}");
    };
    assert_eq!(code, 418);
    assert_eq!(body, b"I'm a teapot");
}

#[test]
fn malformed_body_is_a_decode_error() {
    let decoded = camunda::CreateUser::decode(status(409), &HeaderMap::new(), b"{\"title\": 42");
    let error = decoded.expect_err("a truncated body cannot decode");
    assert_eq!(error.status(), 409);
    assert!(
        error.to_string().contains("is not the documented JSON"),
        "{error}"
    );

    // Valid JSON of the wrong shape is an error too, not a guess at another variant.
    let decoded = elastic::CreateUser::decode(status(200), &HeaderMap::new(), br#"{"errors":[]}"#);
    assert!(decoded.is_err(), "{decoded:?}");
}

#[test]
fn header_that_is_not_text_is_a_decode_error() {
    let mut headers = HeaderMap::new();
    headers.insert(
        "x-cloud-error-codes",
        HeaderValue::from_bytes(b"caf\xe9").unwrap(),
    );
    let decoded = elastic::CreateUser::decode(status(400), &headers, br#"{"errors":[]}"#);
    assert!(decoded.is_err(), "{decoded:?}");
}

#[test]
fn string_enums_show_and_parse_their_wire_values() {
    use generated::stripe_customers::models::ApiErrorsType;
    let error_type = ApiErrorsType::InvalidRequestError;
    assert_eq!(error_type.to_string(), "invalid_request_error");
    assert_eq!("invalid_request_error".parse(), Ok(error_type));
    // A value the description does not list parses too, and shows as it came.
    let unknown: ApiErrorsType = "rate_limit_error".parse().unwrap();
    assert_eq!(unknown, ApiErrorsType::Unknown("rate_limit_error".into()));
    assert_eq!(unknown.to_string(), "rate_limit_error");
}
