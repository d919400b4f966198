//! What the generator makes of the real descriptions in `testdata/real/`: every
//! operation is there, and the operations of the seed documents have exactly their
//! documented statuses, payload types, descriptions and error codes.

mod support;

use codegen::model::{Api, HeaderTy, Operation, Payload, Response, Status, Ty};

fn load(name: &str) -> Api {
    let config = codegen::Config::spec(support::real_spec(name));
    let generated = codegen::generate(&config)
        .unwrap_or_else(|problems| panic!("{name} does not generate:\n{problems}"));
    generated.models.into_iter().next().unwrap()
}

fn operation<'a>(api: &'a Api, id: &str) -> &'a Operation {
    api.operations
        .iter()
        .find(|op| op.id == id)
        .unwrap_or_else(|| panic!("no operation {id}"))
}

/// The type of a response's one body.
fn type_name(api: &Api, response: &Response) -> String {
    assert!(
        response.choice.is_none(),
        "one body, not several: {response:?}"
    );
    match &response.contents[0].payload {
        Payload::Json(Ty::Named(id)) => api.types[id.0].name.clone(),
        other => panic!("expected a named JSON payload, got {other:?}"),
    }
}

#[test]
fn every_operation_is_lowered() {
    for (spec, count) in [
        ("camunda-orchestration-cluster.json", 241),
        ("camunda-orchestration-cluster-8.8.yaml", 147),
        ("elastic-cloud-enterprise.json", 274),
        ("elastic-cloud.json", 92),
    ] {
        assert_eq!(load(spec).operations.len(), count, "{spec}");
    }
}

#[test]
fn camunda_create_user_errors() {
    let api = load("camunda-orchestration-cluster.json");
    let op = operation(&api, "createUser");
    assert_eq!(op.names.marker, "CreateUser");
    assert_eq!(op.names.params, "CreateUserParams");
    assert_eq!(op.names.responses, "CreateUserResponses");
    assert_eq!(op.names.errors, "CreateUserErrors");
    let errors: Vec<_> = op.responses.iter().filter(|r| !r.is_success()).collect();
    let statuses: Vec<Status> = errors.iter().map(|r| r.status).collect();
    let expected = [400, 401, 403, 409, 500, 503].map(Status::Code);
    assert_eq!(statuses, expected);
    for response in &errors {
        assert_eq!(
            type_name(&api, response),
            "ProblemDetail",
            "{:?}",
            response.status
        );
    }
    let descriptions: Vec<&str> = errors.iter().map(|r| r.description.as_str()).collect();
    assert_eq!(
        descriptions[..5],
        [
            "The provided data is not valid.",
            "The request lacks valid authentication credentials.",
            "Forbidden. The request is not allowed.",
            "A user with this username already exists.",
            "An internal error occurred while processing the request.",
        ]
    );
    assert!(descriptions[5].starts_with(
        "The service is currently unavailable. This may happen only on some requests"
    ));
    assert!(descriptions[5].contains("RESOURCE_EXHAUSTED"));
    let variants: Vec<&str> = errors.iter().map(|r| r.variant.as_str()).collect();
    assert_eq!(
        variants,
        [
            "BadRequest",
            "Unauthorized",
            "Forbidden",
            "Conflict",
            "InternalServerError",
            "ServiceUnavailable"
        ]
    );

    let success: Vec<_> = op.responses.iter().filter(|r| r.is_success()).collect();
    assert_eq!(success.len(), 1);
    assert_eq!(success[0].status, Status::Code(201));
    assert_eq!(type_name(&api, success[0]), "UserCreateResult");
}

#[test]
fn elastic_create_user_errors() {
    let api = load("elastic-cloud-enterprise.json");
    let op = operation(&api, "create-user");
    let errors: Vec<_> = op.responses.iter().filter(|r| !r.is_success()).collect();
    assert_eq!(
        errors.iter().map(|r| r.status).collect::<Vec<_>>(),
        [Status::Code(400), Status::Code(409)]
    );
    let mut codes = Vec::new();
    for response in &errors {
        assert_eq!(type_name(&api, response), "BasicFailedReply");
        let [header] = &response.headers[..] else {
            panic!("one header expected: {:?}", response.headers)
        };
        assert_eq!(header.wire, "x-cloud-error-codes");
        let HeaderTy::Enum { values, .. } = &header.ty else {
            panic!("a typed header expected")
        };
        codes.extend(
            values
                .variants
                .iter()
                .map(|v| (v.wire.clone(), v.doc.clone().unwrap_or_default())),
        );
    }
    assert_eq!(codes, [
        ("user.user_name.invalid".to_owned(), "The provided user name is invalid. Check that it is not empty and it does not contain special characters.".to_owned()),
        ("user.roles.invalid".to_owned(), "Some of the provided roles are invalid.".to_owned()),
        ("user.roles.forbidden".to_owned(), "Some of the provided roles are forbidden.".to_owned()),
        ("user.restricted_field".to_owned(), "Trying to set a restricted field.".to_owned()),
        ("user.user_name.conflict".to_owned(), "The username is already in use.".to_owned()),
    ]);
}
