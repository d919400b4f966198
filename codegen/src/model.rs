//! The intermediate model: plain data, no tokens. Swagger 2.0, OpenAPI 3.0 and 3.1 all
//! lower into it, and emission reads nothing else. Every Rust name in it is final: the
//! lowering claimed it in the namespace of the scope it lives in, and the wire name
//! stands beside it; emission never makes a name of its own.

/// One API description, lowered.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// The description's `info.title`.
    pub title: String,
    /// The description's `info.version`: the version of the API, not of the format.
    pub api_version: String,
    /// The description's `info.description`.
    pub description: Option<String>,
    /// Named types of the `models` module, indexed by [`TypeId`].
    pub types: Vec<TypeDef>,
    /// The operations of `paths`, in the order of the description.
    pub operations: Vec<Operation>,
    /// OpenAPI 3.1 `webhooks`: requests the API sends, lowered like operations. Only
    /// [`OperationNames::marker`] is claimed for them: it names the payload's type.
    pub webhooks: Vec<Operation>,
    /// Where the API is served (`servers`, or Swagger 2.0 `host`, `basePath` and
    /// `schemes`), each a type of the `servers` module.
    pub servers: Vec<Server>,
    /// The security schemes, each a field of the `auth` module's `Credentials`.
    pub security_schemes: Vec<SecurityScheme>,
    /// The groups operations fall in, each a cargo feature of a standalone crate.
    pub groups: Vec<Group>,
    /// The constraints of the schemas, for the server side.
    pub rules: Rules,
}

/// Which of `types`, by index, the types `roots` name, directly or through other types.
pub fn reach<'a>(types: &[TypeDef], roots: impl IntoIterator<Item = &'a Ty>) -> Vec<bool> {
    let mut reached = vec![false; types.len()];
    let mut pending = Vec::new();
    for ty in roots {
        ty.named(&mut pending);
    }
    while let Some(TypeId(index)) = pending.pop() {
        if std::mem::replace(&mut reached[index], true) {
            continue;
        }
        for ty in types[index].kind.types() {
            ty.named(&mut pending);
        }
    }
    reached
}

impl Api {
    /// Which types, by index, a request can hold: those a caller builds, which get
    /// constructors (a type only ever read from responses needs none).
    pub fn sent_types(&self) -> Vec<bool> {
        reach(
            &self.types,
            self.operations.iter().flat_map(Operation::request_types),
        )
    }

    /// The struct that `ty` names (through aliases), if it names one.
    pub fn structure(&self, ty: &Ty) -> Option<&Struct> {
        let mut ty = ty;
        loop {
            let Ty::Named(id) = ty else {
                return None;
            };
            match &self.types[id.0].kind {
                TypeKind::Struct(s) => return Some(s),
                TypeKind::Alias(inner) => ty = inner,
                _ => return None,
            }
        }
    }

    /// The fields along `members` (wire names) from a value of type `ty`, each a member
    /// of the struct the one before is; `None` where one is missing.
    pub fn members<'a>(&'a self, ty: &'a Ty, members: &[String]) -> Option<Vec<&'a Field>> {
        let mut ty = ty;
        let mut fields = Vec::new();
        for wire in members {
            let field = self
                .structure(ty)?
                .fields
                .iter()
                .find(|f| &f.wire == wire)?;
            fields.push(field);
            ty = &field.ty;
        }
        Some(fields)
    }

    /// `ty`, through aliases.
    pub fn unaliased<'a>(&'a self, mut ty: &'a Ty) -> &'a Ty {
        while let Ty::Named(id) = ty {
            match &self.types[id.0].kind {
                TypeKind::Alias(inner) => ty = inner,
                _ => break,
            }
        }
        ty
    }

    /// Gives every type reference of the description its id in `new_ids` (indexed by old
    /// id), after types were merged or dropped.
    pub fn renumber(&mut self, new_ids: &[TypeId]) {
        for def in &mut self.types {
            for ty in def.kind.types_mut() {
                ty.renumber(new_ids);
            }
        }
        for op in self.operations.iter_mut().chain(&mut self.webhooks) {
            for ty in op.types_mut() {
                ty.renumber(new_ids);
            }
        }
    }
}

/// Operations that go together (those of a tag, or of a first path segment when the
/// description has no tags): a cargo feature that compiles them and the types they reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The feature's name (`customers`, `user-task`).
    pub feature: String,
    /// What the group is: its tag, or its path.
    pub doc: String,
    /// The trait that gives the client a method per operation of the group
    /// (`CustomersOperations`).
    pub operations_trait: String,
}

/// A server URL, with its variables.
#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    /// The type of the `servers` module that stands for it.
    pub name: String,
    /// The URL template, `{name}` for each variable.
    pub url: String,
    /// The server's `description`.
    pub doc: Option<String>,
    /// The variables of the URL template, each a field of the server's type.
    pub variables: Vec<ServerVariable>,
}

/// A variable of a server URL template (`{region}`).
#[derive(Debug, Clone, PartialEq)]
pub struct ServerVariable {
    /// Its name in the URL template.
    pub wire: String,
    /// The field of the server's type.
    pub name: String,
    /// Its `description`.
    pub doc: Option<String>,
    /// The value used unless the caller gives another; without one the caller must.
    pub default: Option<String>,
    /// The values allowed, when the description lists them: an enum of the module.
    pub values: Option<(String, StringEnum)>,
}

/// A way of proving who the caller is.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityScheme {
    /// The scheme's name in the description (`bearerAuth`).
    pub id: String,
    /// The field of `Credentials` that holds it, and the constant that describes it.
    pub field: String,
    /// The constant of the `auth` module that describes it.
    pub constant: String,
    /// The scheme's `description`.
    pub doc: Option<String>,
    /// How the credentials go on a request.
    pub kind: SchemeKind,
}

/// How a security scheme's credentials go on a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeKind {
    /// `Authorization: Bearer …`: HTTP bearer, OAuth 2 and OpenID Connect tokens.
    Bearer,
    /// `Authorization: Basic …`.
    Basic,
    /// A key in a header, query parameter or cookie named `name`.
    ApiKey {
        /// Where the key goes.
        location: Location,
        /// The header, query parameter or cookie.
        name: String,
    },
}

/// Which credentials an operation needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Security {
    /// Neither the operation nor the description says: whatever credentials the caller
    /// has are sent.
    Unspecified,
    /// Any one of these sets of schemes (indexes into [`Api::security_schemes`]), all of
    /// a set together; an empty set means no credentials are needed.
    Any(Vec<Vec<usize>>),
}

/// Index of a type in [`Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// A named Rust type made from a schema.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The type's Rust name, claimed in the `models` module.
    pub name: String,
    /// The schema's `description`, or its `title`.
    pub doc: Option<String>,
    /// Where the schema is, for diagnostics and for readers of the output.
    pub pointer: String,
    /// What the type stands for, for a doc when the schema has none (`the request body
    /// of [`CreateUser`]`, `the `address` property of [`Customer`]`).
    pub role: Role,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// What Rust type it is.
    pub kind: TypeKind,
}

/// Where a named type comes from, as its doc tells a reader without a description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// A named schema of the components (or definitions), by its name there.
    Component(String),
    /// A schema of another file, named after its place there.
    External,
    /// A schema written inline: where it is, as a phrase of the generator's own words
    /// that may hold intra-doc links (``the `items` of [`Order`]``).
    Inline(String),
}

/// What Rust type a named type is.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// A struct of the schema's properties.
    Struct(Struct),
    /// A string enum.
    Enum(StringEnum),
    /// An integer enum.
    IntEnum(IntEnum),
    /// An enum of the alternatives of a `oneOf` or `anyOf`.
    OneOf(OneOf),
    /// `pub type Name = T;` for a named schema that is no more than another type.
    Alias(Ty),
    /// `pub struct Name(pub T);`, serialized as `T`: an alias that would reach itself
    /// (`List = Vec<List>`), which Rust allows only behind a struct.
    Newtype(Ty),
}

/// The struct of an object schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    /// One field per property, in the order of the description.
    pub fields: Vec<Field>,
    /// `additionalProperties`, kept in a flattened map.
    pub additional: Option<Additional>,
}

impl Struct {
    /// Whether the struct has a `Default` (derived, or filling in the description's
    /// defaults): no field must be given.
    pub fn has_default(&self) -> bool {
        self.fields
            .iter()
            .all(|f| !f.required || f.default.is_some())
    }
}

/// The properties a schema does not list, by name.
#[derive(Debug, Clone, PartialEq)]
pub struct Additional {
    /// The field that holds them (`additional_properties`, unless a property took it).
    pub name: String,
    /// The type of each value.
    pub ty: Ty,
}

/// A property of an object schema, as a field of its struct.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The property's name on the wire.
    pub wire: String,
    /// The field's Rust name.
    pub name: String,
    /// The property's `description`.
    pub doc: Option<String>,
    /// The type of the property's value, without the `Option`s that absence and `null` add.
    pub ty: Ty,
    /// The property must be present: it is in the schema's `required`, and neither read-
    /// nor write-only.
    pub required: bool,
    /// `null` is a valid value (`nullable: true`, or `null` among the types).
    pub nullable: bool,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// `readOnly`: only servers send it. Such a field is optional even when required,
    /// since requests leave it out.
    pub read_only: bool,
    /// `writeOnly`: only clients send it; optional even when required, likewise.
    pub write_only: bool,
    /// The `default` of an optional field, when it is a literal of the field's type.
    pub default: Option<FieldDefault>,
    /// The field's type contains the struct itself, so it lives behind a `Box`.
    pub boxed: bool,
}

/// The `default` of a field, filled in by serde when the field is absent.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldDefault {
    /// The value.
    pub value: Literal,
    /// The associated function of the struct that returns it (`default_limit`).
    pub function: String,
}

/// A literal `default` value.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// `true` or `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A number with a fraction.
    Float(f64),
    /// A string, or the value of a string enum.
    String(String),
}

/// An integer enum; unknown values are kept, as for string enums.
#[derive(Debug, Clone, PartialEq)]
pub struct IntEnum {
    /// `I32` or `I64`.
    pub repr: Ty,
    /// One variant per listed value, in the order of the description.
    pub variants: Vec<IntVariant>,
}

/// A value of an integer enum.
#[derive(Debug, Clone, PartialEq)]
pub struct IntVariant {
    /// The value.
    pub value: i64,
    /// The variant's Rust name.
    pub name: String,
    /// What the description says of the value (`x-enum-descriptions` and the like).
    pub doc: Option<String>,
}

/// A string enum; unknown values are kept so a new server value does not break a client.
#[derive(Debug, Clone, PartialEq)]
pub struct StringEnum {
    /// One variant per listed value, in the order of the description.
    pub variants: Vec<EnumVariant>,
}

/// A value of a string enum.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    /// The value on the wire.
    pub wire: String,
    /// The variant's Rust name.
    pub name: String,
    /// What the description says of the value (`x-enum-descriptions` and the like).
    pub doc: Option<String>,
}

/// `oneOf`/`anyOf`: one variant per alternative.
#[derive(Debug, Clone, PartialEq)]
pub struct OneOf {
    /// One variant per alternative, in the order of the description.
    pub variants: Vec<OneOfVariant>,
    /// The property whose value names the variant (`discriminator.propertyName`).
    pub discriminator: Option<String>,
}

/// An alternative of a `oneOf` or `anyOf`.
#[derive(Debug, Clone, PartialEq)]
pub struct OneOfVariant {
    /// The variant's Rust name.
    pub name: String,
    /// The alternative's type.
    pub ty: Ty,
    /// The alternative's type contains the enum itself, so it lives behind a `Box`.
    pub boxed: bool,
    /// Discriminator values that select this variant.
    pub tags: Vec<String>,
}

impl TypeKind {
    /// Every type this kind names in its fields, variants or target.
    pub fn types(&self) -> Vec<&Ty> {
        match self {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .map(|f| &f.ty)
                .chain(s.additional.iter().map(|a| &a.ty))
                .collect(),
            TypeKind::Enum(_) | TypeKind::IntEnum(_) => Vec::new(),
            TypeKind::OneOf(o) => o.variants.iter().map(|v| &v.ty).collect(),
            TypeKind::Alias(ty) | TypeKind::Newtype(ty) => vec![ty],
        }
    }

    /// [`TypeKind::types`], to change them.
    pub fn types_mut(&mut self) -> Vec<&mut Ty> {
        match self {
            TypeKind::Struct(s) => s
                .fields
                .iter_mut()
                .map(|f| &mut f.ty)
                .chain(s.additional.iter_mut().map(|a| &mut a.ty))
                .collect(),
            TypeKind::Enum(_) | TypeKind::IntEnum(_) => Vec::new(),
            TypeKind::OneOf(o) => o.variants.iter_mut().map(|v| &mut v.ty).collect(),
            TypeKind::Alias(ty) | TypeKind::Newtype(ty) => vec![ty],
        }
    }
}

/// A Rust type expression.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Ty {
    /// `boolean`.
    Bool,
    /// `integer` of `format: int32` (or a narrower one).
    I32,
    /// `integer`.
    I64,
    /// `number` of `format: float`.
    F32,
    /// `number`.
    F64,
    /// `string`.
    String,
    /// `string` of `format: date-time`.
    DateTime,
    /// `string` of `format: date`.
    Date,
    /// `string` of `format: uuid`.
    Uuid,
    /// `string` of `format: binary`, or Swagger 2.0's `file`.
    Bytes,
    /// Any JSON value.
    Any,
    /// `array`: a `Vec` of its items.
    List(Box<Ty>),
    /// An object of `additionalProperties` alone: a map from names to values.
    Map(Box<Ty>),
    /// A value that may be `null`.
    Option(Box<Ty>),
    /// A type of the `models` module.
    Named(TypeId),
    /// A Rust type the user's settings name, written as it is: a replaced schema's type
    /// (`money::Money`), or the type a scalar format is mapped to (`time::Date`, `u64`).
    Rust(String),
}

impl Ty {
    /// The named types inside this one (`Vec<Option<Foo>>` holds `Foo`).
    pub fn named(&self, into: &mut Vec<TypeId>) {
        match self {
            Ty::Named(id) => into.push(*id),
            Ty::List(inner) | Ty::Map(inner) | Ty::Option(inner) => inner.named(into),
            _ => {}
        }
    }

    /// Gives every named type inside this one its id in `new_ids` (indexed by old id).
    pub fn renumber(&mut self, new_ids: &[TypeId]) {
        match self {
            Ty::Named(id) => *id = new_ids[id.0],
            Ty::List(inner) | Ty::Map(inner) | Ty::Option(inner) => inner.renumber(new_ids),
            _ => {}
        }
    }
}

/// One HTTP operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `operationId`, or one made of method and path.
    pub id: String,
    /// The names of the items it becomes in the `operations` module.
    pub names: OperationNames,
    /// The HTTP method.
    pub method: http::Method,
    /// The path template as the description writes it, without a fragment.
    pub path: String,
    /// The path template in pieces: literal text (percent-encoded where a path needs it)
    /// and parameters.
    pub template: Vec<PathPart>,
    /// Where the operation is described.
    pub pointer: String,
    /// Its `summary`.
    pub summary: Option<String>,
    /// Its `description`.
    pub description: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// Its `tags`.
    pub tags: Vec<String>,
    /// The [`Group`] the operation is in: its feature's name.
    pub group: String,
    /// Its path, query, header and cookie parameters, those of its path item included.
    pub params: Vec<Param>,
    /// Its request body, if it has one.
    pub body: Option<Body>,
    /// Documented responses, ordered: codes ascending, then ranges, then `default`.
    pub responses: Vec<Response>,
    /// The media types the responses document, those `decode` reads best first: what
    /// the request's `Accept` lists.
    pub accept: Vec<String>,
    /// Which credentials it needs.
    pub security: Security,
    /// How the operation's responses come in pages, when it was recognised.
    pub pagination: Option<Pagination>,
    /// The retries the description asks for (`x-speakeasy-retries`).
    pub retries: Option<Retries>,
}

/// Retries as a description asks for them: exponential backoff between attempts, for
/// these statuses and, if so, failed connections; `None` attempts mean no retries.
#[derive(Debug, Clone, PartialEq)]
pub struct Retries {
    /// Attempts in all, the first included (1: never retry).
    pub attempts: u32,
    /// The wait before the first retry, in milliseconds.
    pub initial_ms: u64,
    /// The longest wait between two attempts, in milliseconds.
    pub max_ms: u64,
    /// How much longer each wait is than the one before.
    pub exponent: f64,
    /// Status ranges (`5XX` is `500..=599`).
    pub statuses: Vec<(u16, u16)>,
    /// Whether a request that got no response (a failed connection) is retried too.
    pub connection_errors: bool,
}

/// How an operation's responses come in pages: which success response is a page, where
/// its items are, and how the request for the next page is made.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// What said so: an extension (`x-ms-pageable`), or the shape of the operation
    /// (its parameters and the page's members).
    pub source: PaginationSource,
    /// The success response (an index into [`Operation::responses`]) that is a page.
    pub response: usize,
    /// The members, by wire name, from the page's body down to its list of items;
    /// none when the body is the list.
    pub items: Vec<String>,
    /// How the request for the next page is made.
    pub next: NextPage,
}

/// What said that an operation's responses come in pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaginationSource {
    /// A vendor extension, by name (`x-speakeasy-pagination`, `x-ms-pageable` …).
    Extension(&'static str),
    /// The operation's parameters and the page's members.
    Shape,
    /// The `[pagination]` section of the settings.
    Settings,
}

/// How the request for the page after one is made.
#[derive(Debug, Clone, PartialEq)]
pub enum NextPage {
    /// A `GET` of the `Link` header's `rel="next"` URL (the page's header at this index).
    LinkHeader(usize),
    /// A `GET` of the URL in this member of the page (`@odata.nextLink`,
    /// `meta.next_page_url`).
    Link(Vec<String>),
    /// A `GET` of the URL a response header holds whole (`Next-Page`: the page's header
    /// at this index).
    HeaderUrl(usize),
    /// The same operation with a cursor from the page (this member) as `to`; none, or an
    /// empty one, after the last page.
    Cursor {
        /// The page's member, by wire names from the body down.
        from: Vec<String>,
        /// Where the request takes it.
        to: PageInput,
    },
    /// The same operation with the last item's `member` (Stripe's `id`) as `to`, while
    /// the page's `more` member is `true` (while there are items, without one).
    LastItem {
        /// The item's member, by wire name.
        member: String,
        /// The page's member that says whether more follow, by wire names.
        more: Option<Vec<String>>,
        /// Where the request takes it.
        to: PageInput,
    },
    /// The same operation with `to` advanced past the page (by its number of items for an
    /// offset, by one for a page number), until a page has no items.
    Offset {
        /// Where the request takes the offset or page number.
        to: PageInput,
        /// An offset counted in items, rather than a page number.
        by_items: bool,
    },
}

/// Where the next page's request takes what changes from the page before (one of the
/// `inputs` of `x-speakeasy-pagination`).
#[derive(Debug, Clone, PartialEq)]
pub enum PageInput {
    /// The parameter at this index of [`Operation::params`].
    Param(usize),
    /// A member of the JSON body, by wire names from the body down.
    Body(Vec<String>),
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    /// Text written as it is (already percent-encoded where the path needs it).
    Literal(String),
    /// The value of the parameter at this index of [`Operation::params`].
    Param(usize),
    /// A query pair the path key itself carries (`method=flickr.photos.search` of
    /// `/rest?method=flickr.photos.search`), percent-encoded: sent with every request,
    /// and what tells apart operations on one path. These come after the path's pieces.
    Query(String),
    /// A query parameter (an index into [`Operation::params`]) the path key names
    /// (`lat` of `/alerts?lat={lat}`): written with the other query parameters, and,
    /// present, what tells apart operations on one path.
    QueryParam(usize),
}

impl Operation {
    /// The types its request names: in parameters and body.
    pub fn request_types(&self) -> impl Iterator<Item = &Ty> {
        let params = self.params.iter().map(|p| &p.ty);
        let body = self
            .body
            .iter()
            .flat_map(|b| b.contents.iter().filter_map(|c| c.payload.ty()));
        params.chain(body)
    }

    /// Every type the operation names: in parameters, body, responses and headers.
    pub fn types(&self) -> Vec<&Ty> {
        let responses = self.responses.iter().flat_map(|r| {
            let headers = r.headers.iter().filter_map(|h| match &h.ty {
                HeaderTy::Scalar(ty) => Some(ty),
                HeaderTy::Enum { .. } => None,
            });
            r.contents
                .iter()
                .filter_map(|c| c.payload.ty())
                .chain(headers)
        });
        self.request_types().chain(responses).collect()
    }

    /// [`Operation::types`], to change them.
    pub fn types_mut(&mut self) -> Vec<&mut Ty> {
        let params = self.params.iter_mut().map(|p| &mut p.ty);
        let body = self
            .body
            .iter_mut()
            .flat_map(|b| b.contents.iter_mut().filter_map(|c| c.payload.ty_mut()));
        let responses = self.responses.iter_mut().flat_map(|r| {
            let headers = r.headers.iter_mut().filter_map(|h| match &mut h.ty {
                HeaderTy::Scalar(ty) => Some(ty),
                HeaderTy::Enum { .. } => None,
            });
            r.contents
                .iter_mut()
                .filter_map(|c| c.payload.ty_mut())
                .chain(headers)
        });
        params.chain(body).chain(responses).collect()
    }
}

/// The names of the items an operation becomes in the `operations` module, all claimed
/// in that module's namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationNames {
    /// The marker type implementing `runtime::Operation` (`CreateUser`); for a webhook,
    /// the type of its payload (`NewPetWebhook`).
    pub marker: String,
    /// Its parameters (`CreateUserParams`).
    pub params: String,
    /// Its success responses (`CreateUserResponses`).
    pub responses: String,
    /// Its error responses (`CreateUserErrors`).
    pub errors: String,
    /// Its method on the client (`create_user`), claimed among the client's own; empty
    /// for a webhook.
    pub method: String,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Location {
    /// In the path.
    Path,
    /// In the query.
    Query,
    /// In a header.
    Header,
    /// In the `Cookie` header.
    Cookie,
}

impl Location {
    /// The style a parameter here has when the description does not give one.
    pub fn default_style(self) -> Style {
        match self {
            Location::Query | Location::Cookie => Style::Form,
            Location::Path | Location::Header => Style::Simple,
        }
    }
}

/// How a parameter's value is written (OpenAPI `style`; Swagger 2.0 `collectionFormat`
/// maps onto these).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Style {
    /// `value`; a list's or object's parts comma-separated.
    Simple,
    /// `.value`.
    Label,
    /// `;name=value`.
    Matrix,
    /// `name=value`.
    Form,
    /// Lists separated by spaces.
    SpaceDelimited,
    /// Lists separated by `|`.
    PipeDelimited,
    /// Swagger 2.0 `collectionFormat: tsv`.
    TabDelimited,
    /// `name[key]=value` for each member of an object.
    DeepObject,
}

impl Style {
    /// The style as the description names it.
    pub fn as_str(self) -> &'static str {
        match self {
            Style::Simple => "simple",
            Style::Label => "label",
            Style::Matrix => "matrix",
            Style::Form => "form",
            Style::SpaceDelimited => "spaceDelimited",
            Style::PipeDelimited => "pipeDelimited",
            Style::TabDelimited => "tabDelimited",
            Style::DeepObject => "deepObject",
        }
    }

    /// The style named `name` in an OpenAPI 3 description.
    pub fn parse(name: &str) -> Option<Style> {
        Some(match name {
            "simple" => Style::Simple,
            "label" => Style::Label,
            "matrix" => Style::Matrix,
            "form" => Style::Form,
            "spaceDelimited" => Style::SpaceDelimited,
            "pipeDelimited" => Style::PipeDelimited,
            "deepObject" => Style::DeepObject,
            _ => return None,
        })
    }

    /// `explode` when the description does not say: only `form` explodes.
    pub fn default_explode(self) -> bool {
        self == Style::Form
    }
}

/// A parameter of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Where the parameter is described.
    pub pointer: String,
    /// Its name on the wire.
    pub wire: String,
    /// The field's Rust name in the operation's parameters.
    pub name: String,
    /// Where it goes.
    pub location: Location,
    /// Its `description`.
    pub doc: Option<String>,
    /// The type of its value, without the `Option` of an optional parameter.
    pub ty: Ty,
    /// `required: true` (always, for a path parameter).
    pub required: bool,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// How its value is written.
    pub style: Style,
    /// `explode`: a list or object as several pairs rather than one.
    pub explode: bool,
    /// `allowReserved`: reserved characters pass unencoded (query only).
    pub allow_reserved: bool,
    /// A parameter described by `content` rather than `schema`: the media type its value
    /// is written as (JSON text, percent-encoded where it goes in the URI).
    pub content: Option<String>,
}

impl Param {
    /// Whether the style or explode differ from what the location implies.
    pub fn has_default_style(&self) -> bool {
        let style = self.location.default_style();
        self.style == style && self.explode == style.default_explode()
    }
}

/// The request body of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// The media types the operation accepts, the default first.
    pub contents: Vec<Content>,
    /// With several contents, the enum the caller picks one with (`CreatePetBody`).
    pub choice: Option<String>,
    /// Without `required`, the body may be left out: the operation's body is an `Option`.
    pub required: bool,
    /// The body's `description`.
    pub doc: Option<String>,
}

/// A body of one or more media types that share a payload.
#[derive(Debug, Clone, PartialEq)]
pub struct Content {
    /// The media types, the one a request writes (or a response is expected in) first.
    pub media_types: Vec<String>,
    /// How the body is read or written.
    pub payload: Payload,
    /// The variant of the enum that holds this content, where there is one (`Json`,
    /// `ProblemJson`).
    pub variant: String,
    /// How the properties of a form are written (the Encoding Object), for those
    /// that are not written the default way.
    pub encoding: Vec<PropertyEncoding>,
    /// Where the schema is, if there is one.
    pub schema: Option<String>,
    /// Where the Media Type Object is (OpenAPI 3), with its `example` or `examples`.
    pub media: Option<String>,
}

/// How one property of a form body is written.
#[derive(Debug, Clone, PartialEq)]
pub struct PropertyEncoding {
    /// The property's wire name.
    pub property: String,
    /// The media type the property is written as (`contentType`).
    pub content_type: Option<String>,
    /// URL-encoded forms: `style`, `explode` and `allowReserved`.
    pub style: Style,
    /// `explode`.
    pub explode: bool,
    /// `allowReserved`.
    pub allow_reserved: bool,
    /// Multipart forms: the property is bytes, written as they are in a file part.
    pub binary: bool,
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
    /// Server-sent events (`text/event-stream`), each one's data of this type: JSON of
    /// the schema the description gives, or the text itself (`Ty::String`).
    Events(Ty),
}

impl Payload {
    /// The type of the body, for JSON and forms, or of each event's data.
    pub fn ty(&self) -> Option<&Ty> {
        match self {
            Payload::Json(ty) | Payload::Form(ty) | Payload::Events(ty) => Some(ty),
            Payload::Empty | Payload::Text | Payload::Binary => None,
        }
    }

    /// [`Payload::ty`], to change it.
    pub fn ty_mut(&mut self) -> Option<&mut Ty> {
        match self {
            Payload::Json(ty) | Payload::Form(ty) | Payload::Events(ty) => Some(ty),
            Payload::Empty | Payload::Text | Payload::Binary => None,
        }
    }
}

/// How a media type's body is read or written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MediaKind {
    /// JSON.
    Json,
    /// A URL-encoded or multipart form.
    Form,
    /// `text/event-stream`.
    Events,
    /// Other text (`text/*`, `application/xml`).
    Text,
    /// Anything else, read as bytes.
    Binary,
}

/// The media type a request body is sent as: the one documented, or for a range
/// (`*/*`, `application/*+json`, `text/*`), the plain type of what the payload writes, since
/// a `Content-Type` names one media type, never a range.
pub fn sent_media_type<'m>(media_type: &'m str, payload: &Payload) -> &'m str {
    let essence = media_type.split(';').next().unwrap_or_default();
    if !essence.contains('*') {
        return media_type;
    }
    match payload {
        Payload::Json(_) => "application/json",
        Payload::Text | Payload::Events(_) => "text/plain",
        Payload::Empty | Payload::Form(_) | Payload::Binary => "application/octet-stream",
    }
}

impl MediaKind {
    /// The kind of `media_type` (parameters such as `; charset=utf-8` aside).
    pub fn of(media_type: &str) -> MediaKind {
        let essence = media_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        if essence == "application/json"
            || essence.ends_with("+json")
            || essence == "*/*"
            || essence == "application/*"
        {
            MediaKind::Json
        } else if essence == "multipart/form-data" || essence == "application/x-www-form-urlencoded"
        {
            MediaKind::Form
        } else if essence == "text/event-stream" {
            MediaKind::Events
        } else if essence.starts_with("text/") || essence == "application/xml" {
            MediaKind::Text
        } else {
            MediaKind::Binary
        }
    }
}

/// Which statuses a response stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// One status code.
    Code(u16),
    /// `4XX`: the hundreds digit.
    Range(u16),
    /// `default`: any status the others do not name.
    Default,
}

impl Status {
    /// The status a key of a Responses Object names: `409`, `4XX` (any case), `default`.
    pub fn parse(key: &str) -> Option<Status> {
        if key == "default" {
            return Some(Status::Default);
        }
        let bytes = key.as_bytes();
        if bytes.len() == 3
            && bytes[1..].eq_ignore_ascii_case(b"xx")
            && (b'1'..=b'5').contains(&bytes[0])
        {
            return Some(Status::Range(u16::from(bytes[0] - b'0')));
        }
        if bytes.len() != 3 {
            return None;
        }
        let code: u16 = key.parse().ok()?;
        (100..=599).contains(&code).then_some(Status::Code(code))
    }

    /// Whether this is a success: a 2xx code or the `2XX` range. (`default` is decided
    /// per operation: it is a success only where no success is listed.)
    pub fn is_success(self) -> bool {
        match self {
            Status::Code(code) => (200..300).contains(&code),
            Status::Range(hundreds) => hundreds == 2,
            Status::Default => false,
        }
    }
}

/// A documented response of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The statuses it stands for.
    pub status: Status,
    /// Variant name in `{Op}Responses` or `{Op}Errors` (`Conflict`, `Status449`).
    pub variant: String,
    /// Its `description`, the doc of its variant.
    pub description: String,
    /// The distinct bodies, by media type, the preferred first; none without a body.
    pub contents: Vec<Content>,
    /// With several distinct bodies, the enum that holds the one received, chosen by the
    /// response's `Content-Type` (`{Op}{Variant}Body`).
    pub choice: Option<String>,
    /// The headers it documents.
    pub headers: Vec<Header>,
}

impl Response {
    /// Whether this response is one of success (a 2xx code or range).
    pub fn is_success(&self) -> bool {
        self.status.is_success()
    }
}

/// A header a response documents.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    /// Its name on the wire.
    pub wire: String,
    /// The field's Rust name.
    pub name: String,
    /// Its `description`.
    pub doc: Option<String>,
    /// The type of its value.
    pub ty: HeaderTy,
    /// `required: true`: a response without it does not decode.
    pub required: bool,
}

/// The type of a response header's value.
#[derive(Debug, Clone, PartialEq)]
pub enum HeaderTy {
    /// A scalar type parsed from the header's text.
    Scalar(Ty),
    /// A header with an `enum` of codes: a generated enum of the operations module.
    Enum {
        /// The enum's Rust name.
        name: String,
        /// Its values.
        values: StringEnum,
    },
}

/// The constraints of every schema a request or a response holds, as the server side
/// checks them and the mock makes values of them: one [`Rule`] per schema, naming the
/// others by index (so recursive schemas are plain data), and where each parameter,
/// body, response body and response header finds its rule.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rules {
    /// Every schema's rule, named by index.
    pub rules: Vec<Rule>,
    /// The `pattern`s, by index.
    pub patterns: Vec<String>,
    /// The rule of a parameter (by its [`Param::pointer`]), of a body or response body
    /// (by its [`Content::schema`]), of a response header (by [`header_key`]).
    pub by_pointer: std::collections::BTreeMap<String, usize>,
    /// The examples of a Media Type Object (by [`Content::media`]), or of a Swagger 2.0
    /// response's media type (by [`header_key`] of the response with the media type), as
    /// JSON texts.
    pub examples: std::collections::BTreeMap<String, Vec<String>>,
}

/// The key of a response's header (or, with a media type, of its Swagger 2.0 examples)
/// in [`Rules`]: the operation's pointer, the status and the name.
pub fn header_key(operation: &str, status: Status, name: &str) -> String {
    let status = match status {
        Status::Code(code) => code.to_string(),
        Status::Range(hundreds) => format!("{hundreds}XX"),
        Status::Default => "default".to_owned(),
    };
    format!("{operation} {status} {}", name.to_ascii_lowercase())
}

/// The constraints of one schema, as `runtime::server::Rule` has them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rule {
    /// Where the schema is in the description.
    pub pointer: String,
    /// The JSON types allowed, as the runtime's bit set (`null` 1, boolean 2, integer
    /// 4, number 8, string 16, array 32, object 64).
    pub types: u8,
    /// `enum` (or `const`): the only values allowed; empty for any.
    pub values: Vec<RuleValue>,
    /// A format the checks know (`date-time`, `int32`, `binary` …).
    pub format: Option<String>,
    /// `minLength`, in characters.
    pub min_length: Option<u64>,
    /// `maxLength`, in characters.
    pub max_length: Option<u64>,
    /// `pattern`, by index into [`Rules::patterns`].
    pub pattern: Option<usize>,
    /// `minimum`, as `(value, exclusive)`.
    pub minimum: Option<(f64, bool)>,
    /// `maximum`, as `(value, exclusive)`.
    pub maximum: Option<(f64, bool)>,
    /// `multipleOf`.
    pub multiple_of: Option<f64>,
    /// The rule of an array's items.
    pub items: Option<usize>,
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// `uniqueItems`.
    pub unique_items: bool,
    /// Each declared property with its rule.
    pub properties: Vec<(String, usize)>,
    /// The properties that must be present.
    pub required: Vec<String>,
    /// `None`: anything; `Some(None)`: nothing; `Some(Some(rule))`.
    pub additional: Option<Option<usize>>,
    /// `minProperties`.
    pub min_properties: Option<u64>,
    /// `maxProperties`.
    pub max_properties: Option<u64>,
    /// `allOf`: rules all of which must hold.
    pub all_of: Vec<usize>,
    /// `anyOf`: rules at least one of which must hold.
    pub any_of: Vec<usize>,
    /// `oneOf`: rules exactly one of which must hold.
    pub one_of: Vec<usize>,
    /// `not`: a rule that must not hold.
    pub not: Option<usize>,
    /// The discriminator's property, and each value with its rule.
    pub discriminator: Option<(String, Vec<(String, usize)>)>,
    /// `readOnly`: refused in a request.
    pub read_only: bool,
    /// `writeOnly`: never in a response.
    pub write_only: bool,
    /// `nullable: true`: `null` is valid whatever else the schema says.
    pub nullable: bool,
}

/// A value of an `enum` or `const`.
#[derive(Debug, Clone, PartialEq)]
pub enum RuleValue {
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A string.
    String(String),
    /// An array or object, as JSON text.
    Json(String),
}
