//! Serves Camunda's users API from memory, with the server the crate generates:
//! `cargo run -p generated --features server --example serve_users -- 8080`, then call it
//! with the `create_user` example (or any client) at `http://127.0.0.1:8080`.
//!
//! Each handler gets the operation's parameters and body already read and checked, and
//! can only answer what the description documents for the operation.

use std::collections::BTreeMap;
use std::sync::Mutex;

use generated::camunda_users::models::{
    ProblemDetail, SearchQueryPageResponse, UserCreateResult, UserRequest, UserResult,
    UserSearchQueryRequest, UserSearchResult, UserUpdateRequest, UserUpdateResult,
};
use generated::camunda_users::operations::{
    CreateUserErrors, CreateUserResponses, DeleteUserErrors, DeleteUserParams, DeleteUserResponses,
    GetUserErrors, GetUserParams, GetUserResponses, SearchUsersErrors, SearchUsersResponses,
    UpdateUserErrors, UpdateUserParams, UpdateUserResponses,
};
use generated::camunda_users::server::{App, UserHandlers};
use generated::runtime::server::{axum, Request};

/// The users, by user name.
#[derive(Default)]
struct Users {
    users: Mutex<BTreeMap<String, UserResult>>,
}

/// The problem document of a 404 or 409.
fn problem(status: i32, title: &str, detail: String) -> ProblemDetail {
    ProblemDetail {
        type_: "about:blank".into(),
        title: title.into(),
        status,
        detail,
        instance: "/users".into(),
    }
}

impl Users {
    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, UserResult>> {
        self.users
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl UserHandlers for Users {
    async fn create_user(
        &self,
        request: Request<(), UserRequest>,
    ) -> Result<CreateUserResponses, CreateUserErrors> {
        let user = request.body;
        let mut users = self.lock();
        if users.contains_key(&user.username) {
            let detail = format!("{} exists already", user.username);
            return Err(CreateUserErrors::Conflict(problem(409, "Conflict", detail)));
        }
        let created = UserResult {
            username: user.username.clone(),
            name: user.name,
            email: user.email,
        };
        users.insert(user.username, created.clone());
        Ok(CreateUserResponses::Created(UserCreateResult {
            username: created.username,
            name: created.name,
            email: created.email,
        }))
    }

    async fn get_user(
        &self,
        request: Request<GetUserParams, ()>,
    ) -> Result<GetUserResponses, GetUserErrors> {
        let username = request.params.username;
        match self.lock().get(&username) {
            Some(user) => Ok(GetUserResponses::Ok(user.clone())),
            None => Err(GetUserErrors::NotFound(problem(404, "Not Found", username))),
        }
    }

    async fn update_user(
        &self,
        request: Request<UpdateUserParams, UserUpdateRequest>,
    ) -> Result<UpdateUserResponses, UpdateUserErrors> {
        let username = request.params.username;
        let mut users = self.lock();
        let Some(user) = users.get_mut(&username) else {
            return Err(UpdateUserErrors::NotFound(problem(
                404,
                "Not Found",
                username,
            )));
        };
        // Absent: keep; `null`: clear; a value: set.
        if let Some(name) = request.body.name {
            user.name = name;
        }
        if let Some(email) = request.body.email {
            user.email = email;
        }
        Ok(UpdateUserResponses::Ok(UserUpdateResult {
            username: user.username.clone(),
            name: user.name.clone(),
            email: user.email.clone(),
        }))
    }

    async fn delete_user(
        &self,
        request: Request<DeleteUserParams, ()>,
    ) -> Result<DeleteUserResponses, DeleteUserErrors> {
        let username = request.params.username;
        match self.lock().remove(&username) {
            Some(_) => Ok(DeleteUserResponses::NoContent),
            None => Err(DeleteUserErrors::NotFound(problem(
                404,
                "Not Found",
                username,
            ))),
        }
    }

    async fn search_users(
        &self,
        request: Request<(), Option<UserSearchQueryRequest>>,
    ) -> Result<SearchUsersResponses, SearchUsersErrors> {
        let wanted = request.body.and_then(|query| query.filter);
        let items: Vec<UserResult> = self
            .lock()
            .values()
            .filter(|user| {
                let username = wanted.as_ref().and_then(|f| f.username.as_ref());
                username.is_none_or(|name| *name == user.username)
            })
            .cloned()
            .collect();
        Ok(SearchUsersResponses::Ok(UserSearchResult {
            page: SearchQueryPageResponse {
                total_items: items.len() as i64,
                start_cursor: None,
                end_cursor: None,
            },
            items,
        }))
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let port: u16 = std::env::args()
        .nth(1)
        .map_or(Ok(8080), |port| port.parse())?;
    let router = App::new().user(Users::default()).into_router();
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, router).await?;
    Ok(())
}
