//! Styles: how a parameter's value is written, as the description's `style`, `explode`
//! and `allowReserved` say (OpenAPI 3.0.4 and 3.1.1 on top of RFC 6570 and RFC 3986). A
//! value is first reduced to what a parameter can hold ([`Shape`]: a scalar, a list of
//! scalars or an object of scalars), then expanded by the style's rules and escaped for
//! where it goes. Whatever a caller passes is escaped so it can never add a path
//! segment, a query pair or a header the description does not declare.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::error::Problem;
use super::node::Node;

/// How a parameter is written: one of the description's styles, whether it is exploded
/// and whether reserved characters pass unencoded. Build one from a constant:
/// `Style::FORM.explode(false)`, `Style::DEEP_OBJECT.allow_reserved()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub(crate) kind: StyleKind,
    pub(crate) explode: bool,
    pub(crate) allow_reserved: bool,
}

/// The styles, and `Json` for a parameter described by `content: application/json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StyleKind {
    Simple,
    Label,
    Matrix,
    Form,
    SpaceDelimited,
    PipeDelimited,
    TabDelimited,
    DeepObject,
    Json,
}

impl Style {
    const fn of(kind: StyleKind, explode: bool) -> Style {
        Style {
            kind,
            explode,
            allow_reserved: false,
        }
    }

    /// `blue,black,brown`: path and header parameters by default.
    pub const SIMPLE: Style = Style::of(StyleKind::Simple, false);
    /// `.blue,black,brown` (path).
    pub const LABEL: Style = Style::of(StyleKind::Label, false);
    /// `;color=blue,black,brown` (path).
    pub const MATRIX: Style = Style::of(StyleKind::Matrix, false);
    /// `color=blue&color=black`: query and cookie parameters by default (exploded).
    pub const FORM: Style = Style::of(StyleKind::Form, true);
    /// `color=blue%20black` (query; Swagger 2.0 `ssv`).
    pub const SPACE_DELIMITED: Style = Style::of(StyleKind::SpaceDelimited, false);
    /// `color=blue%7Cblack` (query; Swagger 2.0 `pipes`).
    pub const PIPE_DELIMITED: Style = Style::of(StyleKind::PipeDelimited, false);
    /// `color=blue%09black` (query; Swagger 2.0 `tsv`).
    pub const TAB_DELIMITED: Style = Style::of(StyleKind::TabDelimited, false);
    /// `color%5BR%5D=100&color%5BG%5D=200` (query objects).
    pub const DEEP_OBJECT: Style = Style::of(StyleKind::DeepObject, true);
    /// The value's JSON text (a parameter described with `content: application/json`),
    /// percent-encoded where it goes in the URI.
    pub const JSON: Style = Style::of(StyleKind::Json, false);

    /// The same style, exploded or not.
    pub const fn explode(self, explode: bool) -> Style {
        Style { explode, ..self }
    }

    /// The same style, letting the reserved characters of RFC 3986 pass unencoded in
    /// values (`allowReserved`; query parameters and form properties).
    pub const fn allow_reserved(self) -> Style {
        Style {
            allow_reserved: true,
            ..self
        }
    }
}

/// Everything but the RFC 3986 unreserved characters is percent-encoded.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `allowReserved` lets the reserved characters pass, except those that would end a query
/// pair, start a fragment or read as a percent-encoding (`& = + # [ ] %`).
const UNRESERVED_AND_RESERVED: &AsciiSet = &UNRESERVED
    .remove(b':')
    .remove(b'/')
    .remove(b'?')
    .remove(b'@')
    .remove(b'!')
    .remove(b'$')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b',')
    .remove(b';');

/// How text is escaped where it is written.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Escape {
    /// Percent-encoding, for the URI and for URL-encoded bodies.
    Percent {
        allow_reserved: bool,
        space_as_plus: bool,
    },
    /// As it is: header values, which [`header_value`] checks instead.
    Verbatim,
}

impl Escape {
    pub(crate) const URI: Escape = Escape::Percent {
        allow_reserved: false,
        space_as_plus: false,
    };

    pub(crate) fn text(self, text: &str) -> String {
        let Escape::Percent {
            allow_reserved,
            space_as_plus,
        } = self
        else {
            return text.to_owned();
        };
        let set = if allow_reserved {
            UNRESERVED_AND_RESERVED
        } else {
            UNRESERVED
        };
        if space_as_plus {
            // A literal `+` is encoded as `%2B`, so `+` between pieces can only mean a space.
            text.split(' ')
                .map(|piece| utf8_percent_encode(piece, set).to_string())
                .collect::<Vec<_>>()
                .join("+")
        } else {
            utf8_percent_encode(text, set).to_string()
        }
    }

    /// `allowReserved` is about values; names, and keys written as names, never get it.
    pub(crate) fn names(self) -> Escape {
        match self {
            Escape::Percent { space_as_plus, .. } => Escape::Percent {
                allow_reserved: false,
                space_as_plus,
            },
            Escape::Verbatim => Escape::Verbatim,
        }
    }
}

/// A value as a parameter can hold it.
#[derive(Debug)]
pub(crate) enum Shape {
    /// `null`, an empty list or an object without members: RFC 6570 "undefined".
    Absent,
    Scalar(String),
    /// The items of an array, `null` items left out (they have no text to write).
    List(Vec<String>),
    /// Object members in declaration order, `null` members left out.
    Pairs(Vec<(String, String)>),
}

impl Shape {
    /// Every text the shape writes: the scalar, the items, or each key and value.
    pub(crate) fn texts(&self) -> impl Iterator<Item = &str> {
        let (scalar, items, pairs): (Option<&String>, &[String], &[(String, String)]) = match self {
            Shape::Absent => (None, &[], &[]),
            Shape::Scalar(text) => (Some(text), &[], &[]),
            Shape::List(items) => (None, items, &[]),
            Shape::Pairs(pairs) => (None, &[], pairs),
        };
        scalar
            .into_iter()
            .chain(items)
            .chain(pairs.iter().flat_map(|(key, value)| [key, value]))
            .map(String::as_str)
    }

    pub(crate) fn of_node(node: Node) -> Result<Shape, Problem> {
        match node {
            Node::Null => Ok(Shape::Absent),
            Node::Array(items) => {
                let list = items
                    .into_iter()
                    .filter(|item| !matches!(item, Node::Null))
                    .map(|item| item.into_scalar().ok_or(Problem::Nested))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(if list.is_empty() {
                    Shape::Absent
                } else {
                    Shape::List(list)
                })
            }
            Node::Object(members) => {
                let pairs = members
                    .into_iter()
                    .filter(|(_, value)| !matches!(value, Node::Null))
                    .map(|(key, value)| {
                        value
                            .into_scalar()
                            .map(|text| (key, text))
                            .ok_or(Problem::Nested)
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(if pairs.is_empty() {
                    Shape::Absent
                } else {
                    Shape::Pairs(pairs)
                })
            }
            scalar => scalar
                .into_scalar()
                .map(Shape::Scalar)
                .ok_or(Problem::Nested),
        }
    }
}

/// An RFC 6570 expression operator, in the variants OpenAPI styles use.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Expansion {
    /// Written once before a defined value: `.` for label, `;` for matrix.
    pub(crate) first: &'static str,
    /// Between exploded items.
    pub(crate) separator: &'static str,
    /// Between the items of a value that is not exploded.
    pub(crate) joiner: &'static str,
    /// Items are written `name=value` (matrix, form).
    pub(crate) named: bool,
    /// What follows the name of an empty value: `=` for form, nothing for matrix.
    pub(crate) if_empty: &'static str,
    pub(crate) explode: bool,
    pub(crate) escape: Escape,
}

impl Expansion {
    pub(crate) fn simple(explode: bool, escape: Escape) -> Expansion {
        Expansion {
            first: "",
            separator: ",",
            joiner: ",",
            named: false,
            if_empty: "",
            explode,
            escape,
        }
    }

    pub(crate) fn form(explode: bool, escape: Escape) -> Expansion {
        Expansion {
            separator: "&",
            named: true,
            if_empty: "=",
            ..Expansion::simple(explode, escape)
        }
    }

    /// How a path parameter in `style` (`simple`, `label` or `matrix`) is written; the
    /// server reads it back by the same table.
    pub(crate) fn path(style: Style) -> Expansion {
        let simple = Expansion::simple(style.explode, Escape::URI);
        match style.kind {
            StyleKind::Label => Expansion {
                first: ".",
                separator: ".",
                ..simple
            },
            StyleKind::Matrix => Expansion {
                first: ";",
                separator: ";",
                named: true,
                ..simple
            },
            _ => simple,
        }
    }

    /// How a query parameter (or URL-encoded property) in `style` is written with
    /// `escape`; `None` for `deepObject`, which writes each member as its own pair.
    pub(crate) fn query(style: Style, escape: Escape) -> Option<Expansion> {
        // The delimited styles define no exploded form; `form` exploded is what Swagger
        // 2.0 `multi` and common servers read. Their delimiter is written
        // percent-encoded: the same in a query and in a URL-encoded body, where `%20`
        // reads as a space just as `+` does.
        let joiner = match style.kind {
            StyleKind::DeepObject => return None,
            StyleKind::SpaceDelimited if !style.explode => "%20",
            StyleKind::PipeDelimited if !style.explode => "%7C",
            StyleKind::TabDelimited if !style.explode => "%09",
            _ => ",",
        };
        Some(Expansion {
            joiner,
            ..Expansion::form(style.explode, escape)
        })
    }

    /// How a header parameter is written: `simple`, not escaped (header values are
    /// checked instead).
    pub(crate) fn header(style: Style) -> Expansion {
        Expansion::simple(style.explode, Escape::Verbatim)
    }

    /// How a cookie parameter is written: `form`, all cookies in one `Cookie` header.
    pub(crate) fn cookie(style: Style) -> Expansion {
        Expansion {
            separator: "; ",
            ..Expansion::form(style.explode, Escape::URI)
        }
    }

    /// The expansion of `shape`, or `None` when it is undefined.
    pub(crate) fn expand(&self, name: &str, shape: &Shape) -> Option<String> {
        let escape = self.escape;
        let text = match shape {
            Shape::Absent => return None,
            Shape::Scalar(value) => self.item(name, &escape.text(value)),
            Shape::List(items) if self.explode => items
                .iter()
                .map(|item| self.item(name, &escape.text(item)))
                .collect::<Vec<_>>()
                .join(self.separator),
            Shape::List(items) => self.item(name, &self.join(items.iter())),
            Shape::Pairs(pairs) if self.explode => pairs
                .iter()
                .map(|(key, value)| self.member(key, &escape.text(value)))
                .collect::<Vec<_>>()
                .join(self.separator),
            Shape::Pairs(pairs) => {
                let flat = pairs.iter().flat_map(|(key, value)| [key, value]);
                self.item(name, &self.join(flat))
            }
        };
        Some(format!("{}{text}", self.first))
    }

    fn join<'a>(&self, items: impl Iterator<Item = &'a String>) -> String {
        items
            .map(|item| self.escape.text(item))
            .collect::<Vec<_>>()
            .join(self.joiner)
    }

    /// One item, with its name for the named operators.
    fn item(&self, name: &str, encoded: &str) -> String {
        if !self.named {
            return encoded.to_owned();
        }
        let equals = if encoded.is_empty() {
            self.if_empty
        } else {
            "="
        };
        format!("{}{equals}{encoded}", self.escape.names().text(name))
    }

    /// One member of an exploded object: `key=value`, the key standing in for the name.
    fn member(&self, key: &str, encoded: &str) -> String {
        if self.named {
            self.item(key, encoded)
        } else {
            format!("{}={encoded}", self.escape.text(key))
        }
    }
}

/// The `&`-joined pairs of one query parameter (or URL-encoded property) in `style`, or
/// `None` when it is absent.
pub(crate) fn query_text(
    name: &str,
    node: Node,
    style: Style,
    escape: Escape,
) -> Result<Option<String>, Problem> {
    match Expansion::query(style, escape) {
        Some(expansion) => Ok(expansion.expand(name, &Shape::of_node(node)?)),
        None => deep_object(name, node, escape),
    }
}

/// `deepObject`: each scalar inside the value a pair of its own, named by its path in
/// brackets, list items by index (`shipping[address][city]=Paris`, `expand[0]=customer`).
/// OpenAPI defines the style for one level of object members only; deeper values are
/// written the way Stripe, Rails and PHP read them (and Prism's reader does), which is the
/// only reading any server has for them; a scalar (a union's other branch, Stripe's
/// `created=1700000000` beside `created[gte]=…`) is the bare pair of its name. `null`
/// members and items are left out.
pub(crate) fn deep_object(
    name: &str,
    node: Node,
    escape: Escape,
) -> Result<Option<String>, Problem> {
    fn flatten(path: String, node: Node, pairs: &mut Vec<(String, String)>) {
        match node {
            Node::Null => {}
            Node::Array(items) => {
                for (index, item) in items.into_iter().enumerate() {
                    flatten(format!("{path}[{index}]"), item, pairs);
                }
            }
            Node::Object(members) => {
                for (key, value) in members {
                    flatten(format!("{path}[{key}]"), value, pairs);
                }
            }
            scalar => pairs.extend(scalar.into_scalar().map(|text| (path, text))),
        }
    }
    let mut pairs = Vec::new();
    flatten(name.to_owned(), node, &mut pairs);
    if pairs.is_empty() {
        return Ok(None);
    }
    let text = pairs
        .iter()
        .map(|(path, value)| format!("{}={}", escape.names().text(path), escape.text(value)))
        .collect::<Vec<_>>()
        .join("&");
    Ok(Some(text))
}
