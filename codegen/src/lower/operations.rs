//! [`Operations`], what lowering the operations holds: the description, the schemas being
//! converted, the security schemes and the names of the `operations` module; and
//! [`Current`], the operation at hand. Lowering an operation is spread over `operation`
//! (one operation), `body`, `responses` and `servers` (its security), each adding methods
//! to [`Operations`].

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::schema::Schemas;
use crate::load::{last_segment, Document};
use crate::model::SecurityScheme;
use crate::naming::{methods_namespace, operations_namespace, Namespace};

/// The methods of a Path Item Object, in the order the format lists them.
pub(super) const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

pub(super) struct Operations<'d, 's> {
    pub(super) doc: &'d Document,
    pub(super) schemas: &'s mut Schemas<'d>,
    /// The security schemes operations may need.
    pub(super) schemes: &'s [SecurityScheme],
    /// Names of the `operations` module: operations and the types made for them.
    pub(super) names: Namespace,
    /// Names of the client's methods, one per operation.
    pub(super) methods: Namespace,
    pub(super) ids: BTreeSet<String>,
}

/// An operation being lowered: what its parts need to know of it.
pub(super) struct Current<'a> {
    pub(super) id: &'a str,
    /// The marker type's name, which the names of its inline types start with.
    pub(super) name: &'a str,
    pub(super) node: &'a Value,
    pub(super) pointer: &'a str,
}

impl<'d, 's> Operations<'d, 's> {
    pub(super) fn new(
        doc: &'d Document,
        schemas: &'s mut Schemas<'d>,
        schemes: &'s [SecurityScheme],
    ) -> Self {
        Operations {
            doc,
            schemas,
            schemes,
            names: operations_namespace(),
            methods: methods_namespace(),
            ids: BTreeSet::new(),
        }
    }
}

/// A Swagger 2.0 parameter or header carries its schema keywords on itself.
pub(super) fn swagger_schema(node: &Value) -> Value {
    let mut schema = Map::new();
    if let Value::Object(fields) = node {
        for (key, value) in fields {
            if !matches!(
                key.as_str(),
                "name" | "in" | "required" | "collectionFormat"
            ) {
                schema.insert(key.clone(), value.clone());
            }
        }
    }
    Value::Object(schema)
}

/// The name of the reusable component at `pointer`, when it is one of `kinds` (OpenAPI 3's
/// `#/components/{kind}/NAME`, Swagger 2.0's `#/{kind}/NAME`): a parameter, response,
/// request body or header that operations share by `$ref`. The types made for it are
/// named after it, never after whichever operation reached it first.
pub(super) fn component(pointer: &str, kinds: &[&str]) -> Option<String> {
    let rest = pointer.strip_prefix("#/")?;
    let rest = rest.strip_prefix("components/").unwrap_or(rest);
    let (kind, name) = rest.split_once('/')?;
    (kinds.contains(&kind) && !name.is_empty() && !name.contains('/'))
        .then(|| last_segment(pointer))
}
