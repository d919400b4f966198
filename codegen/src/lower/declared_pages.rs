//! Pagination the settings declare (`[pagination.OPERATION]`), for operations the
//! recogniser leaves alone or gets wrong: which list holds the items, and the next
//! page's link (a member or a response header) or cursor (a member sent back in a
//! parameter or body member). Checked against the description like every setting: an
//! operation, member, parameter or header that is not there, or not of a type that can
//! carry a page, is an error naming the settings file and the key.

use std::collections::BTreeSet;
use std::path::Path;

use super::pagination::{check_input, item_list, json_body, page_response, query};
use crate::diagnostics::{Diagnostic, DiagnosticKind, Diagnostics};
use crate::model::{
    Api, Header, HeaderTy, Location, NextPage, Operation, PageInput, Pagination, PaginationSource,
    Ty,
};
use crate::naming::{field_name, Namespace};
use crate::settings::{toml_key, PaginationSetting, Settings};

/// Gives each operation the settings name its pagination as they declare it, in place
/// of any recognised; every problem is an error.
pub(super) fn declare(
    api: &mut Api,
    settings: &Settings,
    ids: &BTreeSet<String>,
    diagnostics: &mut Diagnostics,
) {
    let file = settings.shown_file();
    for (id, setting) in &settings.pagination {
        let key = format!("pagination.{}", toml_key(id));
        let Some(index) = api.operations.iter().position(|op| &op.id == id) else {
            let message = if ids.contains(id) {
                format!("the operation `{id}` is skipped (`skip.operations`)")
            } else {
                let mut message = format!("no operation has the operationId `{id}`");
                if let Some(close) = ids.iter().find(|known| known.eq_ignore_ascii_case(id)) {
                    message.push_str(&format!("; did you mean `{close}`?"));
                }
                message
            };
            diagnostics.push(Diagnostic::error(
                DiagnosticKind::Settings,
                &file,
                &key,
                message,
            ));
            continue;
        };
        let mut problems = Problems {
            file: &file,
            key: &key,
            diagnostics,
        };
        if let Some(pagination) = pagination(api, index, setting, &mut problems) {
            api.operations[index].pagination = Some(pagination);
        }
    }
}

/// Errors about one operation's `[pagination]` table.
struct Problems<'a> {
    file: &'a Path,
    key: &'a str,
    diagnostics: &'a mut Diagnostics,
}

impl Problems<'_> {
    /// An error at the table's key `name` (the table itself when empty).
    fn at(&mut self, name: &str, message: String) {
        let key = match name {
            "" => self.key.to_owned(),
            name => format!("{}.{name}", self.key),
        };
        self.diagnostics.push(Diagnostic::error(
            DiagnosticKind::Settings,
            self.file,
            &key,
            message,
        ));
    }
}

/// The operation's pagination as `setting` declares it, or `None` after reporting why
/// it cannot be.
fn pagination(
    api: &mut Api,
    index: usize,
    setting: &PaginationSetting,
    problems: &mut Problems,
) -> Option<Pagination> {
    let op = &api.operations[index];
    let Some(response) = page_response(op) else {
        problems.at(
            "",
            format!(
                "`{}` has no successful response with a JSON body to read pages from",
                op.id
            ),
        );
        return None;
    };
    let page = json_body(&op.responses[response])?.clone();
    let items = match &setting.items {
        Some(members) => {
            let path = members.names();
            match list_at(api, &page, &path) {
                Ok(()) => Some(path),
                Err(message) => {
                    problems.at("items", message);
                    None
                }
            }
        }
        None => {
            let found = item_list(api, &page);
            if found.is_none() {
                problems.at(
                    "",
                    "the page has no one list of items: say which with `items`".to_owned(),
                );
            }
            found
        }
    };
    let next = next_page(api, index, response, &page, setting, problems);
    Some(Pagination {
        source: PaginationSource::Settings,
        response,
        items: items?,
        next: next?,
    })
}

/// How the next page is asked for, as `setting` says, checked.
fn next_page(
    api: &mut Api,
    index: usize,
    response: usize,
    page: &Ty,
    setting: &PaginationSetting,
    problems: &mut Problems,
) -> Option<NextPage> {
    if let Some(members) = &setting.next_link {
        let path = members.names();
        return match string_at(api, page, &path) {
            Ok(()) => Some(NextPage::Link(path)),
            Err(message) => {
                problems.at("next-link", message);
                None
            }
        };
    }
    if let Some(wire) = &setting.next_header {
        let header = header(&mut api.operations[index], response, wire);
        let response = &api.operations[index].responses[response];
        let Some(at) = header else {
            problems.at(
                "next-header",
                format!("the response's header `{wire}` is not text"),
            );
            return None;
        };
        let link = response.headers[at].wire.eq_ignore_ascii_case("link");
        return Some(match link {
            true => NextPage::LinkHeader(at),
            false => NextPage::HeaderUrl(at),
        });
    }
    let (cursor, from) = (setting.cursor.as_ref()?, setting.next_cursor.as_ref()?);
    let op = &api.operations[index];
    let names = cursor.names();
    let to = match names.as_slice() {
        [one] => query(op, one),
        _ => None,
    }
    .unwrap_or(PageInput::Body(names.clone()));
    if let Err(message) = check_input(api, op, &to, &Ty::String) {
        let message = match (&to, op.body.is_some()) {
            (PageInput::Body(_), false) => {
                let known: Vec<String> = op
                    .params
                    .iter()
                    .filter(|p| p.location == Location::Query)
                    .map(|p| format!("`{}`", p.wire))
                    .collect();
                format!(
                    "`{}` has no query parameter `{}` and no request body; its query parameters: {}",
                    op.id,
                    names.join("."),
                    if known.is_empty() { "none".to_owned() } else { known.join(", ") }
                )
            }
            _ => message,
        };
        problems.at("cursor", message);
    }
    let from = from.names();
    match string_at(api, page, &from) {
        Ok(()) => Some(NextPage::Cursor { from, to }),
        Err(message) => {
            problems.at("next-cursor", message);
            None
        }
    }
}

/// The index of the page's header `wire`, added to the response as optional text when
/// the description does not document it; `None` when it is documented as anything but
/// text.
fn header(op: &mut Operation, response: usize, wire: &str) -> Option<usize> {
    let response = &mut op.responses[response];
    if let Some(at) = response
        .headers
        .iter()
        .position(|h| h.wire.eq_ignore_ascii_case(wire))
    {
        return matches!(&response.headers[at].ty, HeaderTy::Scalar(Ty::String)).then_some(at);
    }
    let taken: Vec<&str> = response.headers.iter().map(|h| h.name.as_str()).collect();
    let mut names = Namespace::with(&taken);
    for reserved in ["body", "status"] {
        names.claim(reserved.to_owned());
    }
    response.headers.push(Header {
        wire: wire.to_owned(),
        name: names.claim(field_name(wire)),
        doc: Some("The URL of the next page (declared by the generation settings).".to_owned()),
        ty: HeaderTy::Scalar(Ty::String),
        required: false,
    });
    Some(response.headers.len() - 1)
}

/// Checks that the page's members `path` lead to a list (the page itself for none).
fn list_at(api: &Api, page: &Ty, path: &[String]) -> Result<(), String> {
    let ty = member(api, page, path)?;
    match api.unaliased(ty) {
        Ty::List(_) => Ok(()),
        _ if path.is_empty() => Err("the page is not a list".to_owned()),
        _ => Err(format!("the page's `{}` is not a list", path.join("."))),
    }
}

/// Checks that the page's members `path` lead to text.
fn string_at(api: &Api, page: &Ty, path: &[String]) -> Result<(), String> {
    let ty = member(api, page, path)?;
    match api.unaliased(ty) {
        Ty::String => Ok(()),
        _ => Err(format!("the page's `{}` is not text", path.join("."))),
    }
}

/// The type at the page's members `path`, or an error naming the first one missing and
/// the members there are.
fn member<'a>(api: &'a Api, page: &'a Ty, path: &[String]) -> Result<&'a Ty, String> {
    let mut ty = page;
    for (depth, wire) in path.iter().enumerate() {
        let at = path[..depth].join(".");
        let Some(structure) = api.structure(ty) else {
            return Err(match at.as_str() {
                "" => "the page is not an object".to_owned(),
                at => format!("the page's `{at}` is not an object"),
            });
        };
        match structure.fields.iter().find(|f| &f.wire == wire) {
            Some(field) => ty = &field.ty,
            None => {
                let known: Vec<String> = structure
                    .fields
                    .iter()
                    .map(|f| format!("`{}`", f.wire))
                    .collect();
                let place = match at.as_str() {
                    "" => "the page".to_owned(),
                    at => format!("the page's `{at}`"),
                };
                return Err(format!(
                    "{place} has no member `{wire}`; its members: {}",
                    known.join(", ")
                ));
            }
        }
    }
    Ok(ty)
}
