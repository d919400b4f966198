//! The intermediate model: plain data, no tokens. Swagger 2.0, OpenAPI 3.0 and 3.1 all
//! lower into it, and emission reads nothing else. Every Rust name in it is final: the
//! naming module chose it, and the wire name stands beside it.

/// One API description, lowered.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub title: String,
    pub api_version: String,
    pub description: Option<String>,
    /// Named types of the `models` module, indexed by [`TypeId`].
    pub types: Vec<TypeDef>,
    pub operations: Vec<Operation>,
    /// OpenAPI 3.1 `webhooks`: requests the API sends, lowered like operations.
    pub webhooks: Vec<Operation>,
}

/// Index of a type in [`Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// A named Rust type made from a schema.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    pub doc: Option<String>,
    /// Where the schema is, for diagnostics and for readers of the output.
    pub pointer: String,
    pub deprecated: bool,
    pub kind: TypeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(Struct),
    Enum(StringEnum),
    IntEnum(IntEnum),
    OneOf(OneOf),
    /// `pub type Name = T;` for a named schema that is no more than another type.
    Alias(Ty),
    /// `pub struct Name(pub T);`, serialized as `T`: an alias that would reach itself
    /// (`List = Vec<List>`), which Rust allows only behind a struct.
    Newtype(Ty),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// The value type of `additionalProperties`, kept in a flattened map.
    pub additional: Option<Ty>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub wire: String,
    pub name: String,
    pub doc: Option<String>,
    pub ty: Ty,
    pub required: bool,
    /// `null` is a valid value (`nullable: true`, or `null` among the types).
    pub nullable: bool,
    pub deprecated: bool,
    /// `readOnly`: only servers send it. Such a field is optional even when required,
    /// since requests leave it out.
    pub read_only: bool,
    /// `writeOnly`: only clients send it; optional even when required, likewise.
    pub write_only: bool,
    /// The `default` of an optional field, when it is a literal we can write in Rust.
    pub default: Option<Literal>,
    /// The field's type contains the struct itself, so it lives behind a `Box`.
    pub boxed: bool,
}

/// A literal `default` value.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Bool(bool),
    Int(i64),
    Float(f64),
    /// A string, or the value of a string enum.
    String(String),
}

/// An integer enum; unknown values are kept, as for string enums.
#[derive(Debug, Clone, PartialEq)]
pub struct IntEnum {
    /// `I32` or `I64`.
    pub repr: Ty,
    /// Value, variant name and doc.
    pub variants: Vec<(i64, String, Option<String>)>,
}

/// A string enum; unknown values are kept so a new server value does not break a client.
#[derive(Debug, Clone, PartialEq)]
pub struct StringEnum {
    pub variants: Vec<EnumVariant>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    pub wire: String,
    pub name: String,
    pub doc: Option<String>,
}

/// `oneOf`/`anyOf`: one variant per alternative.
#[derive(Debug, Clone, PartialEq)]
pub struct OneOf {
    pub variants: Vec<OneOfVariant>,
    /// The property whose value names the variant (`discriminator.propertyName`).
    pub discriminator: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OneOfVariant {
    pub name: String,
    pub ty: Ty,
    pub boxed: bool,
    /// Discriminator values that select this variant.
    pub tags: Vec<String>,
}

/// A Rust type expression.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Ty {
    Bool,
    I32,
    I64,
    F32,
    F64,
    String,
    DateTime,
    Date,
    Uuid,
    Bytes,
    /// Any JSON value.
    Any,
    List(Box<Ty>),
    Map(Box<Ty>),
    Option(Box<Ty>),
    Named(TypeId),
}

/// One HTTP operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `operationId`, or one made of method and path.
    pub id: String,
    /// UpperCamelCase base of every type of this operation (`CreateUser`).
    pub name: String,
    pub method: String,
    pub path: String,
    pub pointer: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub tags: Vec<String>,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    /// Documented responses, ordered: codes ascending, then ranges, then `default`.
    pub responses: Vec<Response>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Location {
    Path,
    Query,
    Header,
    Cookie,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub wire: String,
    pub name: String,
    pub location: Location,
    pub doc: Option<String>,
    pub ty: Ty,
    pub required: bool,
    pub deprecated: bool,
    /// `style`, as written or as the format's default for `location`.
    pub style: String,
    pub explode: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub media_type: String,
    pub payload: Payload,
    pub required: bool,
    pub doc: Option<String>,
}

/// How a body is read or written.
#[derive(Debug, Clone, PartialEq)]
pub enum Payload {
    /// No body.
    Empty,
    /// JSON (`application/json`, `application/problem+json`, any `+json`).
    Json(Ty),
    /// Form fields (`multipart/form-data`, `application/x-www-form-urlencoded`).
    Form(Ty),
    /// UTF-8 text.
    Text,
    /// Raw bytes.
    Binary,
}

/// Which statuses a response stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Code(u16),
    /// `4XX`: the hundreds digit.
    Range(u16),
    Default,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: Status,
    /// Variant name in `{Op}Responses` or `{Op}Errors` (`Conflict`, `Status449`).
    pub variant: String,
    pub description: String,
    pub payload: Payload,
    pub headers: Vec<Header>,
}

impl Response {
    /// Whether this response is one of success (a 2xx code or range).
    pub fn is_success(&self) -> bool {
        match self.status {
            Status::Code(code) => (200..300).contains(&code),
            Status::Range(hundreds) => hundreds == 2,
            Status::Default => false,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    pub wire: String,
    pub name: String,
    pub doc: Option<String>,
    pub ty: HeaderTy,
    pub required: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum HeaderTy {
    Scalar(Ty),
    /// A header with an `enum` of codes: a generated enum of the operations module.
    Enum {
        name: String,
        values: StringEnum,
    },
}
