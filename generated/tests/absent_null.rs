//! A field that is optional and nullable has three states on the wire — absent, `null`
//! and a value — and the generated type keeps them apart in both directions, so an
//! update can leave a field alone, clear it, or set it.

use generated::camunda_users::models::UserUpdateRequest;
use serde_json::json;

fn update(name: Option<Option<&str>>) -> UserUpdateRequest {
    UserUpdateRequest {
        password: None,
        name: name.map(|name| name.map(str::to_owned)),
        email: None,
    }
}

#[test]
fn absent_null_and_value_serialize_apart() {
    assert_eq!(serde_json::to_value(update(None)).unwrap(), json!({}));
    assert_eq!(
        serde_json::to_value(update(Some(None))).unwrap(),
        json!({ "name": null })
    );
    assert_eq!(
        serde_json::to_value(update(Some(Some("Demo")))).unwrap(),
        json!({ "name": "Demo" })
    );
}

#[test]
fn absent_null_and_value_deserialize_apart() {
    let read = |value| {
        serde_json::from_value::<UserUpdateRequest>(value)
            .unwrap()
            .name
    };
    assert_eq!(read(json!({})), None);
    assert_eq!(read(json!({ "name": null })), Some(None));
    assert_eq!(
        read(json!({ "name": "Demo" })),
        Some(Some("Demo".to_owned()))
    );
}
