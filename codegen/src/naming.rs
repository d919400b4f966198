//! Naming: every Rust identifier the generator emits is made here, from a wire name of
//! the description. Casing is `heck`'s; what is not an ASCII letter or digit becomes a
//! word break, keywords get a trailing `_`, and a [`Namespace`] keeps names distinct.

use std::collections::BTreeSet;

use heck::{ToKebabCase, ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

use crate::markdown::code;

/// Longest identifier we emit; longer wire names are cut (they stay intact on the wire).
/// Long enough for the operation ids of large APIs (Microsoft Graph's run to 90), which
/// cut shorter collide and need numbers.
const MAX_LEN: usize = 100;

/// Longest name an inline type gets from its path: shorter than [`MAX_LEN`], since the
/// end of a long path names the type well enough.
const INLINE_LEN: usize = 64;

/// Strict and reserved keywords of Rust 2021 and 2024, which cannot be identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield", "Self",
];

/// Type names that would shadow the prelude or the types and traits the generated code
/// names bare (`impl From<i64> for …` in integer enums, `impl Into<String>` in
/// constructors), and the prelude's derive macros,
/// which would make a doc link such as ``[`Default`]`` ambiguous for rustdoc.
const RESERVED_TYPES: &[&str] = &[
    "Box",
    "Err",
    "From",
    "Into",
    "None",
    "Ok",
    "Option",
    "Result",
    "Some",
    "String",
    "Vec",
    "Self",
    "Clone",
    "Copy",
    "Debug",
    "Default",
    "Eq",
    "Hash",
    "Ord",
    "PartialEq",
    "PartialOrd",
];

/// Names that are one word although their usual spelling looks like two to a casing
/// library (`GitHub` would become `git_hub`): each is replaced by its spelling as one
/// word before the case is changed, so `X-GitHub-Api-Version` is `x_github_api_version`
/// and `XGithubApiVersion` (Rust's naming convention writes such compounds as one word:
/// `Uuid`, `Stdin`).
const COMPOUNDS: &[(&str, &str)] = &[
    ("GitHub", "Github"),
    ("GitLab", "Gitlab"),
    ("OAuth2", "Oauth2"),
    ("OAuth", "Oauth"),
    ("OpenID", "Openid"),
    ("OpenAPI", "Openapi"),
    ("IPv4", "Ipv4"),
    ("IPv6", "Ipv6"),
    ("iOS", "Ios"),
    ("macOS", "Macos"),
    ("GraphQL", "Graphql"),
    ("MySQL", "Mysql"),
    ("PostgreSQL", "Postgresql"),
    ("NoSQL", "Nosql"),
    ("JavaScript", "Javascript"),
    ("TypeScript", "Typescript"),
    ("YouTube", "Youtube"),
    ("PayPal", "Paypal"),
    ("LinkedIn", "Linkedin"),
    ("WebSocket", "Websocket"),
];

/// Words of `raw`: runs of ASCII letters and digits, everything else a separator
/// (but an apostrophe joins: "I'm a teapot" has the words "Im", "a" and "teapot"), with
/// the [`COMPOUNDS`] written as one word.
fn words(raw: &str) -> String {
    let mut cleaned: String = raw
        .chars()
        .filter(|c| *c != '\'')
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    for (spelled, one_word) in COMPOUNDS {
        if cleaned.contains(spelled) {
            cleaned = cleaned.replace(spelled, one_word);
        }
    }
    cleaned.trim().to_owned()
}

/// `name` cut to [`MAX_LEN`] at the last word boundary that fits (an uppercase letter
/// or `_`), so that no word is cut in half; at `MAX_LEN` when no boundary is near.
fn truncate(mut name: String) -> String {
    if name.len() <= MAX_LEN {
        return name;
    }
    // Names are ASCII here: `words` keeps only ASCII letters and digits.
    let boundary = (MAX_LEN / 2..=MAX_LEN)
        .rev()
        .find(|&at| matches!(name.as_bytes()[at], b'A'..=b'Z' | b'_'));
    name.truncate(boundary.unwrap_or(MAX_LEN));
    name.truncate(name.trim_end_matches('_').len());
    name
}

/// `name` (UpperCamelCase) without as many of its first words as it takes to fit in
/// [`INLINE_LEN`]: for a type named after a long path, the end says more than the start.
fn keep_end(name: &str) -> String {
    if name.len() <= INLINE_LEN {
        return name.to_owned();
    }
    let start = (name.len() - INLINE_LEN..name.len())
        .find(|&at| name.as_bytes()[at].is_ascii_uppercase())
        .unwrap_or(name.len() - INLINE_LEN);
    name[start..].to_owned()
}

/// UpperCamelCase words of `raw`, `fallback` when it has none, never starting with a
/// digit, cut to [`MAX_LEN`].
fn upper_camel(raw: &str, fallback: &str) -> String {
    truncate(whole_upper_camel(raw, fallback))
}

/// [`upper_camel`], not cut.
fn whole_upper_camel(raw: &str, fallback: &str) -> String {
    let mut name = words(raw).to_upper_camel_case();
    if name.is_empty() {
        name = fallback.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'N');
    }
    name
}

/// An UpperCamelCase type name for `raw`; `fallback` when `raw` has no word.
///
/// A keyword or reserved name gets the suffix `Type` (`Result` → `ResultType`), not `_`:
/// type names are extended into others (`{Op}Responses`, `{Type}List`), and `Result_`
/// would make `Result_Responses`, which is not UpperCamelCase.
pub fn type_name(raw: &str, fallback: &str) -> String {
    let name = upper_camel(raw, fallback);
    if KEYWORDS.contains(&name.as_str()) || RESERVED_TYPES.contains(&name.as_str()) {
        format!("{name}Type")
    } else {
        name
    }
}

/// An UpperCamelCase enum variant name: like [`type_name`], but a variant may be
/// called `Ok` or `String`, since it is always named through its enum; only `Self`,
/// the one keyword in UpperCamelCase, is escaped (`Self_`).
pub fn variant_name(raw: &str, fallback: &str) -> String {
    let name = upper_camel(raw, fallback);
    if KEYWORDS.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// A snake_case field or parameter name for `raw`.
pub fn field_name(raw: &str) -> String {
    let mut name = words(raw).to_snake_case();
    if name.is_empty() {
        name = "value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'n');
    }
    let name = truncate(name);
    if KEYWORDS.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// Titles too generic to name a type on their own (Stripe titles hundreds of unrelated
/// inline schemas `param`).
const GENERIC_TITLES: &[&str] = &[
    "body",
    "data",
    "item",
    "model",
    "object",
    "param",
    "parameter",
    "parameters",
    "params",
    "request",
    "response",
    "schema",
    "type",
    "value",
];

/// Where an inline schema appears, which is what names it: the item it is part of (an
/// operation's request or response, or a named schema) and the path of properties, list
/// items, map values and variants from there to the schema.
#[derive(Debug, Clone)]
pub struct InlinePath {
    /// The item, as an UpperCamelCase name (`CreateUserRequest`, `Customer`).
    root: String,
    /// For an item of an operation, the operation's name and what the item is to it
    /// (`CreateUser` and `Request`): a type named here is called after that operation.
    operation: Option<(String, String)>,
    /// The item in words, for a doc (``the request body of `createUser` ``).
    phrase: String,
    segments: Vec<Segment>,
}

/// Where an inline type was named: what a better name is looked for in when other
/// operations use it too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// For an item of an operation, the operation's name (`CreateUser`); none for a
    /// named schema or a reusable component (a response, parameter or request body).
    pub operation: Option<String>,
    /// The item's name (`CreateUserRequest`, `Customer`, `NotFound`).
    pub root: String,
    /// What the item is to the operation, UpperCamelCase: `Request`, `Form`, a status
    /// variant (`Ok`, `NotFound`) or a parameter's name (`SortDirection`); for any other
    /// item, its name.
    pub role: String,
    /// The steps from the item to the type (`StatusCallbackMethod`, `LabelsItemColor`),
    /// empty for the item itself.
    pub inner: String,
}

#[derive(Debug, Clone)]
struct Segment {
    /// UpperCamelCase, as part of a type name (`PaymentSettings`, `Item`).
    name: String,
    /// As shown in the dotted path of a doc (`payment_settings`, `[]`).
    shown: String,
    /// A list item, map value or unnamed variant: a word that only means something
    /// after the segment before it.
    generic: bool,
}

impl Origin {
    /// The origin of a type named `name` by the description (a named schema).
    pub fn named(name: &str) -> Origin {
        Origin {
            operation: None,
            root: name.to_owned(),
            role: name.to_owned(),
            inner: String::new(),
        }
    }

    /// The name a type here has when no title names it: the item's, then the steps to
    /// the type (`CreateUserRequestAddress`), keeping the end of a long one.
    pub fn name(&self) -> String {
        type_name(&keep_end(&format!("{}{}", self.root, self.inner)), "Type")
    }
}

impl InlinePath {
    /// The path of the item `root` (a name from the description), described as `phrase`.
    pub fn new(root: &str, phrase: String) -> InlinePath {
        InlinePath {
            // Whole: a name made of it keeps its end when it is too long.
            root: whole_upper_camel(root, "Type"),
            operation: None,
            phrase,
            segments: Vec::new(),
        }
    }

    /// The path of an item of the operation named `operation` (its marker's name,
    /// `CreateUser`): `role` is what the item is to it (`Request`, `Ok`, a parameter's
    /// name), and the item's name is the two together (`CreateUserRequest`).
    pub fn of_operation(operation: &str, role: &str, phrase: String) -> InlinePath {
        let role = whole_upper_camel(role, "Item");
        InlinePath {
            root: format!("{operation}{role}"),
            operation: Some((operation.to_owned(), role)),
            phrase,
            segments: Vec::new(),
        }
    }

    /// Where a type named here is.
    pub fn origin(&self) -> Origin {
        let inner: String = self.units()[1..].concat();
        let (operation, role) = match &self.operation {
            Some((operation, role)) => (Some(operation.clone()), role.clone()),
            None => (None, self.root.clone()),
        };
        Origin {
            operation,
            root: self.root.clone(),
            role,
            inner: keep_end(&inner),
        }
    }

    /// The root, then each step that means something on its own, with the list items,
    /// map values and unnamed variants after it joined to it (`CustomFieldsItem`).
    fn units(&self) -> Vec<String> {
        let mut units = vec![self.root.clone()];
        for segment in &self.segments {
            match units.last_mut() {
                Some(last) if segment.generic => last.push_str(&segment.name),
                _ => units.push(segment.name.clone()),
            }
        }
        units
    }

    fn push(&self, name: String, shown: String, generic: bool) -> InlinePath {
        let mut inline = self.clone();
        inline.segments.push(Segment {
            name,
            shown,
            generic,
        });
        inline
    }

    /// The property `wire` of the schema here.
    pub fn property(&self, wire: &str) -> InlinePath {
        self.push(type_name(wire, "Field"), wire.to_owned(), false)
    }

    /// The items of the list here.
    pub fn item(&self) -> InlinePath {
        self.push("Item".to_owned(), "[]".to_owned(), true)
    }

    /// The values of the map here.
    pub fn value(&self) -> InlinePath {
        self.push("Value".to_owned(), "{}".to_owned(), true)
    }

    /// The alternative `index` (from 0) of the `oneOf`/`anyOf` here, named by its
    /// `title` when it has one.
    pub fn variant(&self, index: usize, title: Option<&str>) -> InlinePath {
        match title.filter(|title| !is_generic_title(title)) {
            Some(title) => self.push(type_name(title, "Variant"), title.to_owned(), false),
            None => self.push(
                format!("Variant{}", index + 1),
                format!("<variant {}>", index + 1),
                true,
            ),
        }
    }

    /// Names to try for a schema here, best first: its `title`, then the last two
    /// meaningful steps of its path (`PaymentMethodOptionsCard`), then more of the path,
    /// up to the whole of it from the item (`PostSubscriptionsRequestPaymentSettings…`).
    /// A list item or map value stays with the step before it (`CustomFieldsItem`).
    pub fn candidates(&self, title: Option<&str>) -> Vec<String> {
        let units = self.units();
        let mut candidates = Vec::new();
        if let Some(title) = title.filter(|title| !is_generic_title(title)) {
            candidates.push(type_name(title, "Type"));
        }
        for take in 2.min(units.len())..=units.len() {
            let name = type_name(&keep_end(&units[units.len() - take..].concat()), "Type");
            if !candidates.contains(&name) {
                candidates.push(name);
            }
        }
        candidates
    }

    /// The place in words, for the doc of a type the description does not document:
    /// ``the request body of `createUser`, at `payment_settings.card` ``.
    pub fn describe(&self) -> String {
        match self.segments.as_slice() {
            [] => return self.phrase.clone(),
            [only] if only.shown == "[]" => return format!("an item of {}", self.phrase),
            [only] if only.shown == "{}" => return format!("a value of {}", self.phrase),
            _ => {}
        }
        let mut path = String::new();
        for segment in &self.segments {
            if !path.is_empty() && !segment.generic {
                path.push('.');
            }
            path.push_str(&segment.shown);
        }
        format!("{}, at {}", self.phrase, code(&path))
    }
}

fn is_generic_title(title: &str) -> bool {
    GENERIC_TITLES.contains(&title.trim().to_ascii_lowercase().as_str())
}

/// A cargo feature name for `raw` (kebab-case, ASCII letters, digits and `-`, starting
/// with a letter).
pub fn feature_name(raw: &str) -> String {
    let mut name = truncate(words(raw).to_kebab_case());
    if name.is_empty() {
        name = "group".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'n');
    }
    name
}

/// A SCREAMING_SNAKE_CASE constant name for `raw`.
pub fn constant_name(raw: &str) -> String {
    let mut name = truncate(words(raw).to_shouty_snake_case());
    if name.is_empty() {
        name = "VALUE".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'N');
    }
    name
}

/// A set of names in one Rust scope; [`Namespace::claim`] makes each new one distinct by
/// a numeric suffix, so the first comer (in document order) keeps the plain name.
#[derive(Debug, Default, Clone)]
pub struct Namespace {
    used: BTreeSet<String>,
}

impl Namespace {
    /// A namespace in which `taken` are already used.
    pub fn with(taken: &[&str]) -> Self {
        Namespace {
            used: taken.iter().map(|name| (*name).to_owned()).collect(),
        }
    }

    /// The first of `candidates` that is free, claimed; when all are taken, the last
    /// one made distinct by a number. `candidates` must not be empty.
    pub fn claim_first(&mut self, candidates: Vec<String>) -> String {
        let mut last = String::new();
        for candidate in candidates {
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
            last = candidate;
        }
        self.claim(last)
    }

    /// Whether `name` is not used yet.
    pub fn is_free(&self, name: &str) -> bool {
        !self.used.contains(name)
    }

    /// Frees `name` (a type renamed), for another to claim.
    pub fn release(&mut self, name: &str) {
        self.used.remove(name);
    }

    /// `name` if it is free, else `name` with the first free numeric suffix.
    pub fn claim(&mut self, name: String) -> String {
        if self.used.insert(name.clone()) {
            return name;
        }
        let base = name.trim_end_matches('_');
        let separator = if base.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        (2..)
            .map(|n| format!("{base}{separator}{n}"))
            .find(|candidate| self.used.insert(candidate.clone()))
            .expect("an unused suffix exists")
    }
}

/// The variant every `{Op}Responses` and `{Op}Errors` has for a status the description
/// does not document: reserved where the variants are named, used where they are written.
pub const UNDOCUMENTED: &str = "Undocumented";

/// The names of an operation's items (`CreateUser`, `CreateUserParams`,
/// `CreateUserResponses`, `CreateUserErrors`), claimed in the operations module's
/// namespace `names`. A webhook becomes only the type of its payload (`NewPetWebhook`).
pub fn operation_names(
    names: &mut Namespace,
    methods: &mut Namespace,
    id: &str,
    webhook: bool,
) -> crate::model::OperationNames {
    if webhook {
        let base = type_name(id, "Operation");
        let base = base.strip_suffix("Webhook").unwrap_or(&base);
        return crate::model::OperationNames {
            marker: names.claim(format!("{base}Webhook")),
            params: String::new(),
            responses: String::new(),
            errors: String::new(),
            method: String::new(),
        };
    }
    let marker = names.claim(type_name(id, "Operation"));
    // The snake case of the marker's name, as distinct as the marker is.
    let method = field_name(&marker);
    let method = match methods.is_free(&method) {
        true => methods.claim(method),
        false => methods.claim(format!("{}_operation", method.trim_end_matches('_'))),
    };
    crate::model::OperationNames {
        params: names.claim(format!("{marker}Params")),
        responses: names.claim(format!("{marker}Responses")),
        errors: names.claim(format!("{marker}Errors")),
        method,
        marker,
    }
}

/// The trait of a crate without groups that gives the client a method per operation.
pub const ALL_OPERATIONS: &str = "Operations";

/// The names of the client's methods an operation's method must not take: its own
/// (`call`, `send`, `with_timeout` …) and those of the prelude's traits every client
/// has (`clone`, `into` …), which would make a call ambiguous.
pub fn methods_namespace() -> Namespace {
    Namespace::with(&[
        "base_url",
        "borrow",
        "borrow_mut",
        "call",
        "clone",
        "clone_from",
        "clone_into",
        "fmt",
        "from",
        "into",
        "send",
        "to_owned",
        "try_from",
        "try_into",
        "type_id",
        "with_attempt_timeout",
        "with_credentials",
        "with_hook",
        "with_http",
        "with_idempotency_keys",
        "with_retries",
        "with_timeout",
        "with_timer",
    ])
}

/// The name of a server's type: `Server` for the only one; else its `description`
/// when that is a short name (`Production` gives `ProductionServer`), or `Server2`.
pub fn server_name(description: Option<&str>, index: usize, single: bool) -> String {
    if single {
        return "Server".to_owned();
    }
    match description.filter(|d| d.split_whitespace().count() <= 3) {
        Some(description) => {
            let base = type_name(description, "Server");
            let base = base.strip_suffix("Server").unwrap_or(&base);
            format!("{base}Server")
        }
        None => format!("Server{}", index + 1),
    }
}

/// The variant name of a status: its reason phrase (`Conflict`), `Status449` for codes
/// without one, the class of a range, or `Default`.
pub fn status_variant(status: crate::model::Status) -> String {
    use crate::model::Status;
    match status {
        Status::Code(code) => http::StatusCode::from_u16(code)
            .ok()
            .and_then(|s| s.canonical_reason())
            .map(|reason| variant_name(reason, "Status"))
            .unwrap_or_else(|| format!("Status{code}")),
        Status::Range(1) => "Informational".into(),
        Status::Range(2) => "Success".into(),
        Status::Range(3) => "Redirection".into(),
        Status::Range(4) => "ClientError".into(),
        Status::Range(_) => "ServerError".into(),
        Status::Default => "Default".into(),
    }
}

/// The words of an UpperCamelCase name: each starts at an uppercase letter.
pub fn camel_words(name: &str) -> Vec<&str> {
    let mut starts: Vec<usize> = name
        .char_indices()
        .filter(|(at, c)| *at == 0 || c.is_ascii_uppercase())
        .map(|(at, _)| at)
        .collect();
    starts.push(name.len());
    starts.windows(2).map(|w| &name[w[0]..w[1]]).collect()
}

/// Whether an UpperCamelCase `name` names a thing and is a type name of its own: not a
/// place (`Item`, `Value`, `Variant2`), a generic word (`Request`, `Body`), a keyword
/// or a reserved name.
pub fn names_a_thing(name: &str) -> bool {
    let place = matches!(name, "Item" | "Value" | "Field" | "Type" | "Form")
        || name.starts_with("Variant")
        || is_generic_title(name);
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && !place
        && !KEYWORDS.contains(&name)
        && !RESERVED_TYPES.contains(&name)
}

/// The type name a schema's `title` gives, unless the title is too generic to name a
/// type on its own (`param`, `body`).
pub fn title_name(title: &str) -> Option<String> {
    (!is_generic_title(title)).then(|| type_name(title, "Type"))
}

/// The name several UpperCamelCase `names` agree on: the words they all end with
/// (`IssuesListForRepoDirection` and `ReposListDirection` agree on `Direction`), when
/// that is a type name of its own; `None` when they end differently.
pub fn common_name(names: &[&str]) -> Option<String> {
    let split: Vec<Vec<&str>> = names.iter().map(|name| camel_words(name)).collect();
    let first = split.first()?;
    let mut common = 0;
    while common < first.len()
        && split
            .iter()
            .all(|w| w.len() > common && w[w.len() - 1 - common] == first[first.len() - 1 - common])
    {
        common += 1;
    }
    if common == 0 {
        return None;
    }
    let name: String = first[first.len() - common..].concat();
    names_a_thing(&name).then_some(name)
}

/// Words that say what an operation does, not what a type is: a name made of the words
/// several names share does not start with them (`GetSiteScope` reads as an operation).
const VERBS: &[&str] = &[
    "Add", "Create", "Delete", "Find", "Get", "List", "Patch", "Post", "Put", "Read", "Remove",
    "Replace", "Retrieve", "Search", "Set", "Update",
];

/// Words whose meaning is the word after them.
const PREPOSITIONS: &[&str] = &["At", "By", "For", "From", "In", "Of", "On", "To", "With"];

/// The words all of `names` (UpperCamelCase) have, in the order of the first, each
/// word matched at most once in each name (their longest common subsequence, taken name
/// by name): `ResetLiveStreamOk` and `StartLiveStreamOk` share `LiveStreamOk`. The names
/// must end with the same word, which says what they are (`GetRecordsOrder` and
/// `SearchRecordsSort` share `Records`, which is no name for an order). Leading verbs
/// are dropped; `None` unless what is left names a thing.
pub fn common_words(names: &[&str]) -> Option<String> {
    let split: Vec<Vec<&str>> = names.iter().map(|name| camel_words(name)).collect();
    let last = split.first()?.last()?;
    if split.iter().any(|words| words.last() != Some(last)) {
        return None;
    }
    let first = split.first()?;
    let mut common: Vec<&str> = first.clone();
    for other in &split[1..] {
        common = longest_common_subsequence(&common, other);
    }
    // A preposition whose object differs (`For` of `ForOrg` and `ForRepo`) goes too.
    let mut kept = common.iter().peekable();
    let mut at = 0;
    let mut words = Vec::new();
    for (index, word) in first.iter().enumerate() {
        if kept.peek() != Some(&word) || at >= common.len() {
            continue;
        }
        kept.next();
        at += 1;
        let object_kept = first.get(index + 1) == common.get(at);
        if !PREPOSITIONS.contains(word) || object_kept {
            words.push(*word);
        }
    }
    let common = words;
    let start = common
        .iter()
        .position(|word| !VERBS.contains(word))
        .unwrap_or(common.len());
    let name = keep_end(&common[start..].concat());
    names_a_thing(&name).then_some(name)
}

/// The longest common subsequence of two lists of words.
fn longest_common_subsequence<'a>(a: &[&'a str], b: &[&str]) -> Vec<&'a str> {
    // lengths[i][j]: of a[i..] and b[j..]. Names are short, so the table is small.
    let mut lengths = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lengths[i][j] = if a[i] == b[j] {
                lengths[i + 1][j + 1] + 1
            } else {
                lengths[i + 1][j].max(lengths[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut common = Vec::new();
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            common.push(a[i]);
            i += 1;
            j += 1;
        } else if lengths[i + 1][j] >= lengths[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    common
}

/// The `operations` module's namespace, with the names the module itself uses.
pub fn operations_namespace() -> Namespace {
    Namespace::with(&["runtime"])
}

/// The module name for a description file: its stem, in snake_case.
pub fn module_name(spec: &std::path::Path) -> String {
    let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or("api");
    field_name(stem)
}

#[cfg(test)]
mod tests {
    #[test]
    fn compounds_stay_one_word() {
        assert_eq!(
            super::field_name("X-GitHub-Api-Version"),
            "x_github_api_version"
        );
        assert_eq!(super::type_name("OAuthToken", "T"), "OauthToken");
        assert_eq!(super::field_name("ipv6Address"), "ipv6_address");
        assert_eq!(super::field_name("IPv6Address"), "ipv6_address");
    }

    #[test]
    fn shared_names_are_the_common_end() {
        use super::common_name;
        assert_eq!(
            common_name(&["IssuesListForRepoDirection", "ReposListDirection"]).as_deref(),
            Some("Direction")
        );
        assert_eq!(
            common_name(&["ListSortDirection", "SearchSortDirection"]).as_deref(),
            Some("SortDirection")
        );
        assert_eq!(common_name(&["FooItem", "BarItem"]), None);
        assert_eq!(common_name(&["FooState", "BarKind"]), None);
    }

    #[test]
    fn shared_words_keep_what_the_names_are() {
        use super::common_words;
        assert_eq!(
            common_words(&["ResetLiveStreamOk", "StartLiveStreamOk"]).as_deref(),
            Some("LiveStreamOk")
        );
        // Leading verbs say what an operation does; `By` means nothing without its object.
        assert_eq!(
            common_words(&[
                "GetTransactionsByAccountType",
                "GetTransactionsByCategoryType"
            ])
            .as_deref(),
            Some("TransactionsType")
        );
        // Names that end differently are different things; `Ok` alone names nothing.
        assert_eq!(
            common_words(&["GetRecordsOrder", "SearchRecordsSort"]),
            None
        );
        assert_eq!(common_words(&["DeleteAccountsOk", "GetRecordsOk"]), None);
        assert_eq!(
            common_words(&["ChecksListForOrgOk", "ChecksListForRepoOk"]).as_deref(),
            Some("ChecksListOk")
        );
        assert_eq!(
            common_words(&["RunsForOrgOk", "JobsForOrgOk"]).as_deref(),
            Some("ForOrgOk")
        );
    }

    use super::*;

    #[test]
    fn type_names() {
        let cases = [
            ("user_name", "UserName"),
            ("UserName", "UserName"),
            ("foo.bar", "FooBar"),
            ("1st-place", "N1stPlace"),
            ("@type", "Type"),
            ("", "Fallback"),
            ("!!!", "Fallback"),
            ("Self", "SelfType"),
            ("option", "OptionType"),
            ("from", "FromType"),
            ("result", "ResultType"),
            ("default", "DefaultType"),
            ("PartialEq", "PartialEqType"),
            ("a\"); std::process::exit(1); //", "AStdProcessExit1"),
            ("caf\u{e9}\u{202e}", "Caf"),
        ];
        for (raw, expected) in cases {
            assert_eq!(type_name(raw, "Fallback"), expected, "{raw:?}");
        }
    }

    #[test]
    fn variant_names() {
        let cases = [
            ("Self", "Self_"),
            ("self", "Self_"),
            ("ok", "Ok"),
            ("String", "String"),
            ("from", "From"),
            ("", "Fallback"),
            ("1", "N1"),
        ];
        for (raw, expected) in cases {
            assert_eq!(variant_name(raw, "Fallback"), expected, "{raw:?}");
        }
    }

    /// Escaped type names stay UpperCamelCase when the generator extends them.
    #[test]
    fn escaped_type_names_extend_to_camel_case() {
        for raw in ["Self", "self", "Result", "from", "type"] {
            let extended = format!("{}Responses", type_name(raw, "F"));
            assert!(
                !extended.contains('_') && extended.starts_with(char::is_uppercase),
                "{raw:?}: {extended}"
            );
        }
    }

    #[test]
    fn field_names() {
        let cases = [
            ("userName", "user_name"),
            ("type", "type_"),
            ("gen", "gen_"),
            ("self", "self_"),
            ("1st-place", "n1st_place"),
            ("with space", "with_space"),
            ("$ref", "ref_"),
            ("", "value"),
        ];
        for (raw, expected) in cases {
            assert_eq!(field_name(raw), expected, "{raw:?}");
        }
    }

    #[test]
    fn long_names_are_cut() {
        assert_eq!(type_name(&"a".repeat(10_000), "F").len(), MAX_LEN);
        assert_eq!(field_name(&"a".repeat(10_000)).len(), MAX_LEN);
        // At a word boundary, never inside a word.
        let long = "UsersUserCalendarGroupsCalendarGroupCalendarsCalendarEventsEventInstancesEventAttachmentsListAttachments";
        assert_eq!(
            type_name(long, "F"),
            "UsersUserCalendarGroupsCalendarGroupCalendarsCalendarEventsEventInstancesEventAttachmentsList"
        );
        // An inline type named after a long path keeps the end of it.
        let root = InlinePath::new(
            "customer_balance_resource_cash_balance_transaction_resource_funded_transaction",
            String::new(),
        );
        assert_eq!(
            root.property("bank_transfer").candidates(None),
            ["CashBalanceTransactionResourceFundedTransactionBankTransfer"]
        );
    }

    #[test]
    fn inline_names_come_from_the_nearest_meaningful_context() {
        let root = InlinePath::new("PostSubscriptionsRequest", "the request body".to_owned());
        let card = root
            .property("payment_settings")
            .property("payment_method_options")
            .property("card");
        assert_eq!(
            card.candidates(None),
            [
                "PaymentMethodOptionsCard",
                "PaymentSettingsPaymentMethodOptionsCard",
                "PostSubscriptionsRequestPaymentSettingsPaymentMethodOptionsCard",
            ]
        );
        assert_eq!(
            card.candidates(Some("card_options")),
            [
                "CardOptions",
                "PaymentMethodOptionsCard",
                "PaymentSettingsPaymentMethodOptionsCard",
                "PostSubscriptionsRequestPaymentSettingsPaymentMethodOptionsCard",
            ]
        );
        // A generic title is no name; a list item stays with its property.
        let item = root.property("custom_fields").item();
        assert_eq!(
            item.candidates(Some("param")),
            ["PostSubscriptionsRequestCustomFieldsItem"]
        );
        assert_eq!(root.candidates(None), ["PostSubscriptionsRequest"]);
        assert_eq!(
            item.property("value").variant(1, None).describe(),
            "the request body, at `custom_fields[].value<variant 2>`"
        );
    }

    #[test]
    fn the_first_free_candidate_is_claimed() {
        let mut names = Namespace::with(&["Card"]);
        assert_eq!(
            names.claim_first(vec!["Card".into(), "OptionsCard".into()]),
            "OptionsCard"
        );
        assert_eq!(
            names.claim_first(vec!["Card".into(), "OptionsCard".into()]),
            "OptionsCard2"
        );
    }

    #[test]
    fn collisions_get_suffixes_in_order() {
        let mut names = Namespace::with(&["Taken"]);
        assert_eq!(names.claim("User".into()), "User");
        assert_eq!(names.claim("User".into()), "User2");
        assert_eq!(names.claim("User".into()), "User3");
        assert_eq!(names.claim("Taken".into()), "Taken2");
        assert_eq!(names.claim("V1".into()), "V1");
        assert_eq!(names.claim("V1".into()), "V1_2");
        assert_eq!(names.claim("type_".into()), "type_");
        assert_eq!(names.claim("type_".into()), "type2");
    }
}

/// The names of the `server` module: per group, the trait its handlers implement
/// (`UserHandlers`) and the method of `App` that serves it (`user`); per operation, its
/// handler's method (`create_user`), distinct across all traits so one type (the mock)
/// can implement every trait with no call ambiguous.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerNames {
    /// `(feature, trait, method)` of each group with operations, in the order of
    /// [`crate::model::Api::groups`].
    pub groups: Vec<(String, String, String)>,
    /// The handler of each operation, by index.
    pub handlers: Vec<String>,
}

/// The server names of `api`.
pub fn server_names(api: &crate::model::Api) -> ServerNames {
    let mut types = Namespace::with(&["App", "Mock", "OPERATIONS", "runtime"]);
    let mut methods = Namespace::with(&[
        "new",
        "mock",
        "authenticator",
        "observer",
        "body_limit",
        "layer",
        "into_router",
        "default",
    ]);
    // A group of webhooks alone has nothing to serve.
    let groups = api
        .groups
        .iter()
        .filter(|group| api.operations.iter().any(|op| op.group == group.feature))
        .map(|group| {
            let base = type_name(&group.feature, "Group");
            let name = types.claim(format!("{base}Handlers"));
            let method = methods.claim(field_name(&group.feature));
            (group.feature.clone(), name, method)
        })
        .collect();
    // The handlers also name the module's private functions, beside `use crate::runtime`.
    let mut handlers = Namespace::with(&["runtime"]);
    let handlers = api
        .operations
        .iter()
        .map(|op| handlers.claim(field_name(&op.names.marker)))
        .collect();
    ServerNames { groups, handlers }
}
