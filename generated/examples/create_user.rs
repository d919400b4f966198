//! Creating a Camunda user with any HTTP client: build the request from the operation's
//! method and path, then let `decode` turn the response into a typed success or error.
//!
//! Run with `cargo run -p generated --example create_user`; the "server" here is a
//! closure that answers 409, so the example needs no network.

use generated::camunda_users::models::UserRequest;
use generated::camunda_users::operations::{CreateUser, CreateUserErrors, CreateUserResponses};
use generated::runtime::Operation;

type Send = dyn Fn(http::Request<Vec<u8>>) -> http::Response<Vec<u8>>;

fn create_user(send: &Send, user: &UserRequest) -> Result<String, Box<dyn std::error::Error>> {
    let request = http::Request::builder()
        .method(CreateUser::METHOD)
        .uri(format!("http://localhost:8080/v2{}", CreateUser::PATH))
        .header(http::header::CONTENT_TYPE, "application/json")
        .body(serde_json::to_vec(user)?)?;
    let response = send(request);
    // The status alone picks the variant; a body that does not match it is an error.
    match CreateUser::decode(response.status(), response.headers(), response.body())? {
        Ok(CreateUserResponses::Created(created)) => Ok(created.username),
        Ok(CreateUserResponses::Accepted(accepted)) => {
            Ok(format!("user key {:?}", accepted.user_key))
        }
        Err(CreateUserErrors::Conflict(problem)) => {
            Ok(format!("already there: {}", problem.detail))
        }
        Err(other) => Err(other.into()),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = |_request: http::Request<Vec<u8>>| {
        let problem = serde_json::json!({
            "type": "about:blank", "title": "ALREADY_EXISTS", "status": 409,
            "detail": "A user with username 'demo' already exists", "instance": "/v2/users"
        });
        http::Response::builder()
            .status(409)
            .header(http::header::CONTENT_TYPE, "application/problem+json")
            .body(problem.to_string().into_bytes())
            .expect("a valid response")
    };
    let user = UserRequest {
        username: "demo".into(),
        password: "secret".into(),
        name: Some("Demo User".into()),
        email: None,
    };
    println!("{}", create_user(&server, &user)?);
    Ok(())
}
