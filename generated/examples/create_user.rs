//! Creating a Camunda user with the generated client: one call builds the request as the
//! description says, sends it, and decodes the answer into the variant of its status.
//!
//! Run it against any server of the description, a Prism mock for instance:
//! `cargo run -p generated --features client --example create_user -- http://127.0.0.1:4010`
//! (the tests do, in `tools/tests/prism.rs`).

use generated::camunda_users::auth::Credentials;
use generated::camunda_users::client::{Client, UserOperations};
use generated::camunda_users::models::UserRequest;
use generated::camunda_users::operations::{CreateUser, CreateUserErrors, CreateUserResponses};
use generated::camunda_users::servers;
use generated::runtime::Operation;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base_url = std::env::args().nth(1).unwrap_or_else(servers::default_url);
    let user = UserRequest {
        username: "demo".into(),
        password: "secret".into(),
        name: Some("Demo User".into()),
        email: None,
    };

    // Without a client of ours: the request as the description says, for any HTTP client.
    let request = CreateUser::request(&base_url, &(), &user)?;
    println!("{} {}", request.method(), request.uri());

    // With the `client` feature: send it, with the credentials the operation needs.
    let credentials = Credentials {
        bearer_auth: Some("a-token".into()),
        ..Credentials::default()
    };
    let client = Client::new(base_url).with_credentials(credentials);
    // Each operation is a method of the client (its group's trait, `UserOperations`).
    // The status alone picks the variant; a body that does not match it is an error.
    match client.create_user(&user).send().await? {
        Ok(CreateUserResponses::Created(created)) => println!("created {}", created.username),
        Ok(CreateUserResponses::Accepted(accepted)) => {
            println!("accepted, user key {:?}", accepted.user_key)
        }
        Ok(CreateUserResponses::Undocumented { status, .. }) => println!("{status}, undocumented"),
        Err(CreateUserErrors::Conflict(problem)) => println!("already there: {}", problem.detail),
        Err(other) => return Err(other.into()),
    }
    Ok(())
}
