//! Pagination: which operations answer with pages, and how the next page is asked for.
//! An extension that says so comes first (`x-ms-pageable`, `x-speakeasy-pagination`,
//! `x-fern-pagination`, `x-dropshot-pagination`); then the operation's shape, only where
//! it is unambiguous:
//!
//! - a `Link` response header with a `page` or `per_page` parameter (GitHub);
//! - a `starting_after` parameter with a page of `has_more` and a list of items that
//!   have an `id` (Stripe);
//! - a next-link member (`@odata.nextLink`, `nextLink`) beside the list (Microsoft Graph,
//!   Azure), or nested in the page: `meta.next_page_url` (Twilio), `paging.next.link`
//!   (HubSpot), `links.next` (JSON:API), `_links.next.href` (HAL);
//! - a response header that holds the next page's URL, named so (`Next-Page-Url`,
//!   `X-Next-Link`) or a `next` header of `format: uri`;
//! - a cursor parameter (or body member) whose name pairs with a member of the page:
//!   `continue` with `metadata.continue` (Kubernetes), `pageToken` with `nextPageToken`,
//!   `cursor` with `next_cursor`, `after` with `endCursor`, or with `paging.next.after`
//!   and `paging.cursors.after` nested deeper (HubSpot, Facebook).
//!
//! A page's items are its one list member (or, with several, the one named `items`,
//! `data`, `value` or `results`); when in doubt, the operation is not paginated. What
//! the recogniser leaves alone, the settings' `[pagination]` section may declare
//! ([`declared`]); it is checked against the description like every setting.

use serde_json::Value;

use crate::diagnostics::{DiagnosticKind, Diagnostics};
use crate::load::{child, Document};
use crate::model::{
    Api, Field, HeaderTy, Location, NextPage, Operation, PageInput, Pagination, PaginationSource,
    Payload, Ty,
};

/// The extensions that describe pagination, in the order they are trusted.
const EXTENSIONS: &[&str] = &[
    "x-ms-pageable",
    "x-speakeasy-pagination",
    "x-fern-pagination",
    "x-dropshot-pagination",
];

/// The names a page's list of items has when it has several lists.
const ITEM_LISTS: &[&str] = &["items", "data", "value", "results"];

/// Members that hold the URL of the next page.
const NEXT_LINKS: &[&str] = &["@odata.nextLink", "nextLink", "next_link", "nextPageLink"];

/// Members nested in a page that hold the URL of the next page, [`normalized`].
const NESTED_LINKS: &[&str] = &[
    "odatanextlink",
    "nextlink",
    "nextpagelink",
    "nextpageurl",
    "nextpageuri",
    "nexturl",
    "nexturi",
];

/// Recognises the pagination of every operation of `api`.
pub fn recognise(doc: &Document, api: &mut Api, diagnostics: &mut Diagnostics) {
    for index in 0..api.operations.len() {
        let op = &api.operations[index];
        let Some(response) = page_response(op) else {
            continue;
        };
        let node = doc.get(&op.pointer);
        let explicit = node.and_then(|node| {
            EXTENSIONS
                .iter()
                .find_map(|&name| Some((name, node.get(name)?)))
        });
        let pagination = match explicit {
            Some((name, value)) => match extension(api, op, response, name, value) {
                Ok(pagination) => pagination,
                Err(problem) => {
                    diagnostics.push(doc.warning(
                        DiagnosticKind::Unsupported,
                        &child(&op.pointer, name),
                        format!("{problem}; the operation is not paginated"),
                    ));
                    None
                }
            },
            None => shape(doc, api, op, response),
        };
        api.operations[index].pagination = pagination;
    }
}

/// The success response a page comes in: the first with a JSON body.
pub(super) fn page_response(op: &Operation) -> Option<usize> {
    op.responses
        .iter()
        .position(|r| r.is_success() && json_body(r).is_some())
}

/// The type of a response's JSON body.
pub(super) fn json_body(response: &crate::model::Response) -> Option<&Ty> {
    response.contents.iter().find_map(|c| match &c.payload {
        Payload::Json(ty) => Some(ty),
        _ => None,
    })
}

/// Pagination as an extension describes it: `Ok(None)` when it says there is none.
fn extension(
    api: &Api,
    op: &Operation,
    response: usize,
    name: &'static str,
    value: &Value,
) -> Result<Option<Pagination>, String> {
    let page = json_body(&op.responses[response]).expect("a page has a JSON body");
    let text = |key: &str| value.get(key).and_then(Value::as_str);
    let (items, next) = match name {
        // Azure: `nextLinkName: null` means everything comes in one response.
        "x-ms-pageable" => {
            let Some(link) = value.get("nextLinkName") else {
                return Err("`x-ms-pageable` has no `nextLinkName`".to_owned());
            };
            let Some(link) = link.as_str() else {
                return Ok(None);
            };
            let items = text("itemName").unwrap_or("value");
            (
                vec![items.to_owned()],
                NextPage::Link(vec![link.to_owned()]),
            )
        }
        "x-speakeasy-pagination" => speakeasy(op, value)?,
        "x-fern-pagination" => fern(op, value)?,
        _ => (
            vec!["items".to_owned()],
            NextPage::Cursor {
                from: vec!["next_page".to_owned()],
                to: query(op, "page_token").ok_or("no `page_token` parameter")?,
            },
        ),
    };
    let pagination = Pagination {
        source: PaginationSource::Extension(name),
        response,
        items,
        next,
    };
    check(api, op, page, &pagination)?;
    Ok(Some(pagination))
}

/// `x-speakeasy-pagination`: `type` (`cursor`, `offsetLimit` or `url`), `inputs` (what
/// the request carries) and `outputs` (JSONPath-like `$.a.b` into the page).
fn speakeasy(op: &Operation, value: &Value) -> Result<(Vec<String>, NextPage), String> {
    let outputs = value.get("outputs").ok_or("no `outputs`")?;
    let output = |key: &str| outputs.get(key).and_then(Value::as_str);
    let items = match output("results") {
        Some(results) => members(results, "$.")?,
        None => Vec::new(),
    };
    let inputs: Vec<(&str, &str)> = value
        .get("inputs")
        .and_then(Value::as_array)
        .map(|inputs| {
            inputs
                .iter()
                .filter_map(|i| Some((i.get("name")?.as_str()?, i.get("type")?.as_str()?)))
                .collect()
        })
        .unwrap_or_default();
    let named = |kind: &str| inputs.iter().find(|(_, k)| *k == kind).map(|(n, _)| *n);
    let to = |name: &str| by_name(op, name).ok_or(format!("no input `{name}`"));
    let next = match value.get("type").and_then(Value::as_str) {
        Some("url") => NextPage::Link(members(output("nextUrl").ok_or("no `nextUrl`")?, "$.")?),
        Some("cursor") => {
            let cursor = named("cursor").ok_or("no input of type `cursor`")?;
            let from = output("nextCursor").ok_or("no `nextCursor`")?;
            match from.strip_prefix("$.").and_then(|f| f.split_once("[-1].")) {
                Some((list, member)) if members(&format!("$.{list}"), "$.")? == items => {
                    NextPage::LastItem {
                        member: member.to_owned(),
                        more: None,
                        to: to(cursor)?,
                    }
                }
                _ => NextPage::Cursor {
                    from: members(from, "$.")?,
                    to: to(cursor)?,
                },
            }
        }
        Some("offsetLimit") => match (named("offset"), named("page")) {
            (Some(offset), _) => NextPage::Offset {
                to: to(offset)?,
                by_items: true,
            },
            (None, Some(page)) => NextPage::Offset {
                to: to(page)?,
                by_items: false,
            },
            (None, None) => return Err("no input of type `offset` or `page`".to_owned()),
        },
        other => return Err(format!("unknown `type` {other:?}")),
    };
    Ok((items, next))
}

/// `x-fern-pagination`: `cursor` and `next_cursor`, or `offset` (with `step` for an
/// offset by items, without for a page number), and `results`.
fn fern(op: &Operation, value: &Value) -> Result<(Vec<String>, NextPage), String> {
    let text = |key: &str| value.get(key).and_then(Value::as_str);
    let items = members(text("results").ok_or("no `results`")?, "$response.")?;
    let to = |path: &str| -> Result<PageInput, String> {
        let name = path
            .strip_prefix("$request.")
            .ok_or(format!("`{path}` is not `$request.…`"))?;
        by_name(op, name).ok_or(format!("no request parameter or member `{name}`"))
    };
    let next = match (text("cursor"), text("offset")) {
        (Some(cursor), _) => NextPage::Cursor {
            from: members(text("next_cursor").ok_or("no `next_cursor`")?, "$response.")?,
            to: to(cursor)?,
        },
        (None, Some(offset)) => NextPage::Offset {
            to: to(offset)?,
            by_items: value.get("step").is_some(),
        },
        (None, None) => return Err("neither `cursor` nor `offset`".to_owned()),
    };
    Ok((items, next))
}

/// The member names of a simple path (`$.data.items`, `$response.data`) after `prefix`.
fn members(path: &str, prefix: &str) -> Result<Vec<String>, String> {
    let rest = path
        .strip_prefix(prefix)
        .ok_or(format!("`{path}` does not start with `{prefix}`"))?;
    if rest.contains(['[', ']', '*']) {
        return Err(format!("`{path}` is not a plain path of member names"));
    }
    Ok(rest.split('.').map(str::to_owned).collect())
}

/// The input a name designates: a query parameter of that name, or a member of the JSON
/// body (dotted for a nested one).
fn by_name(op: &Operation, name: &str) -> Option<PageInput> {
    query(op, name).or_else(|| {
        Some(PageInput::Body(
            name.split('.').map(str::to_owned).collect(),
        ))
    })
}

/// The query parameter `name`.
pub(super) fn query(op: &Operation, name: &str) -> Option<PageInput> {
    op.params
        .iter()
        .position(|p| p.wire == name && p.location == Location::Query)
        .map(PageInput::Param)
}

/// Pagination recognised from the operation's shape, where it is unambiguous.
fn shape(doc: &Document, api: &Api, op: &Operation, response: usize) -> Option<Pagination> {
    let page = json_body(&op.responses[response])?;
    let found = |items: Vec<String>, next: NextPage| {
        let pagination = Pagination {
            source: PaginationSource::Shape,
            response,
            items,
            next,
        };
        check(api, op, page, &pagination).ok().map(|()| pagination)
    };
    let query = |names: &[&str]| {
        op.params.iter().position(|p| {
            p.location == Location::Query && names.iter().any(|n| p.wire.eq_ignore_ascii_case(n))
        })
    };
    // GitHub: `Link: <…>; rel="next"` with page numbers.
    if let Some(header) = op.responses[response]
        .headers
        .iter()
        .position(|h| h.wire.eq_ignore_ascii_case("link"))
    {
        if query(&["page", "per_page"]).is_some() {
            return found(item_list(api, page)?, NextPage::LinkHeader(header));
        }
    }
    // A header that holds the next page's URL.
    if let Some(header) = url_header(doc, op, response) {
        return found(item_list(api, page)?, NextPage::HeaderUrl(header));
    }
    let fields = &api.structure(page)?.fields;
    let items = item_list(api, page)?;
    // Stripe: `has_more` and `starting_after` the last item's `id`.
    if let (Some(after), Some(more)) = (
        query(&["starting_after"]),
        fields.iter().find(|f| f.wire == "has_more"),
    ) {
        return found(
            items,
            NextPage::LastItem {
                member: "id".to_owned(),
                more: Some(vec![more.wire.clone()]),
                to: PageInput::Param(after),
            },
        );
    }
    // Microsoft Graph, Azure: a next link beside the items.
    if let Some(link) = fields
        .iter()
        .find(|f| NEXT_LINKS.contains(&f.wire.as_str()))
    {
        return found(items, NextPage::Link(vec![link.wire.clone()]));
    }
    // Twilio, HubSpot, JSON:API, HAL: a next link by another name, or nested.
    if let Some(link) = nested_link(api, page) {
        return found(items, NextPage::Link(link));
    }
    // A cursor parameter (or body member) and the page's member it pairs with; deeper
    // than two members, only under a member that says it is about pages.
    let cursors = cursor_inputs(api, op, page);
    let page_members: Vec<(Vec<String>, String)> = string_members(api, page, 3)
        .into_iter()
        .filter(|(path, _)| path.len() < 3 || path[..path.len() - 1].iter().any(|m| about_pages(m)))
        .collect();
    for (to, name) in cursors {
        // A body member of the same name as the page's is the same thing sent back (an
        // entity created and returned), not a cursor.
        let same_name_fits = matches!(to, PageInput::Param(_));
        if let Some(from) = page_members
            .iter()
            .find(|(_, member)| pairs(&name, member, same_name_fits))
            .map(|(path, _)| path.clone())
        {
            return found(items, NextPage::Cursor { from, to });
        }
    }
    None
}

/// Whether a member's name says it is about pages: `paging`, `pagination`, `next`,
/// `cursors`.
fn about_pages(member: &str) -> bool {
    let member = normalized(member);
    ["pag", "next", "cursor"]
        .iter()
        .any(|word| member.contains(word))
}

/// The one member of the page that holds the next page's URL: named so
/// (`next_page_uri`, `meta.next_page_url`), a link of a `next` member
/// (`paging.next.link`, `_links.next.href`), or the `next` of a member of links
/// (`links.next`). `None` when there is none, or more than one.
fn nested_link(api: &Api, page: &Ty) -> Option<Vec<String>> {
    let found: Vec<Vec<String>> = string_members(api, page, 3)
        .into_iter()
        .filter(|(path, name)| {
            let name = normalized(name);
            let parent = path.len().checked_sub(2).map(|at| normalized(&path[at]));
            let named = NESTED_LINKS.contains(&name.as_str());
            let of_next = parent.as_deref() == Some("next")
                && ["link", "href", "url", "uri"].contains(&name.as_str());
            let in_links = name == "next"
                && parent
                    .as_deref()
                    .is_some_and(|p| ["links", "paging", "pagination", "meta"].contains(&p));
            named || (path.len() > 1 && (of_next || in_links))
        })
        .map(|(path, _)| path)
        .collect();
    match found.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}

/// The one header of the response that holds the next page's URL: named so
/// (`Next-Page-Url`, `X-Next-Link`), or `Next`/`Next-Page` of `format: uri` (a bare
/// `X-Next-Page` may hold a page number, as GitLab's does).
fn url_header(doc: &Document, op: &Operation, response: usize) -> Option<usize> {
    let response_node = &op.responses[response];
    let found: Vec<usize> = (0..response_node.headers.len())
        .filter(|&index| {
            let header = &response_node.headers[index];
            if !matches!(header.ty, HeaderTy::Scalar(Ty::String)) {
                return false;
            }
            let name = normalized(&header.wire);
            let name = match header.wire.get(..2) {
                Some(x) if x.eq_ignore_ascii_case("x-") => &name[1..],
                _ => name.as_str(),
            };
            let named = [
                "nextpageurl",
                "nextpagelink",
                "nextpageuri",
                "nextlink",
                "nexturl",
                "nexturi",
            ]
            .contains(&name);
            let uri = ["next", "nextpage"].contains(&name)
                && header_format(doc, op, response, &header.wire).is_some_and(|format| {
                    matches!(format.as_str(), "uri" | "url" | "uri-reference")
                });
            named || uri
        })
        .collect();
    match found.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

/// The `format` of the schema of the response header `wire`, as the description writes
/// it.
fn header_format(doc: &Document, op: &Operation, response: usize, wire: &str) -> Option<String> {
    let status = super::responses::status_text(op.responses[response].status);
    let pointer = child(&child(&op.pointer, "responses"), &status);
    let (pointer, node) = doc.resolve(doc.get(&pointer)?, &pointer).ok()?;
    let headers = child(&pointer, "headers");
    let (pointer, header) = doc
        .resolve(node.get("headers")?.get(wire)?, &child(&headers, wire))
        .ok()?;
    let schema = match header.get("schema") {
        Some(schema) => doc.resolve(schema, &child(&pointer, "schema")).ok()?.1,
        None => header,
    };
    Some(schema.get("format")?.as_str()?.to_owned())
}

/// The page's list of items: the body when it is a list, else its one list member (or
/// the one with a usual name, among several).
pub(super) fn item_list(api: &Api, page: &Ty) -> Option<Vec<String>> {
    if matches!(api.unaliased(page), Ty::List(_)) {
        return Some(Vec::new());
    }
    let lists: Vec<&Field> = api
        .structure(page)?
        .fields
        .iter()
        .filter(|f| matches!(api.unaliased(&f.ty), Ty::List(_)))
        .collect();
    let list = match lists.as_slice() {
        [one] => one,
        several => several
            .iter()
            .find(|f| ITEM_LISTS.contains(&f.wire.as_str()))?,
    };
    Some(vec![list.wire.clone()])
}

/// String inputs that may carry a cursor: query parameters, and members of the JSON
/// body down to depth 2, with a name that says so.
fn cursor_inputs(api: &Api, op: &Operation, page: &Ty) -> Vec<(PageInput, String)> {
    // The last word of the name says what it is: `pageToken`, `next_cursor`, `continue`.
    let cursor_like = |name: &str| {
        let last = heck::ToSnakeCase::to_snake_case(name)
            .rsplit('_')
            .next()
            .unwrap_or_default()
            .to_owned();
        ["cursor", "token", "continue", "marker", "after", "page"].contains(&last.as_str())
    };
    let mut inputs: Vec<(PageInput, String)> = op
        .params
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            p.location == Location::Query && p.ty == Ty::String && cursor_like(&p.wire)
        })
        .map(|(index, p)| (PageInput::Param(index), p.wire.clone()))
        .collect();
    // A body of the page's own type is an entity sent and returned, not a query.
    if let Some(body) = json_request_body(op).filter(|body| *body != page) {
        for (path, name) in string_members(api, body, 2) {
            if cursor_like(&name) {
                inputs.push((PageInput::Body(path), name));
            }
        }
    }
    inputs
}

/// The type of the request's body when it is JSON, in one media type.
fn json_request_body(op: &Operation) -> Option<&Ty> {
    let body = op.body.as_ref()?;
    match body.contents.as_slice() {
        [one] => match &one.payload {
            Payload::Json(ty) => Some(ty),
            _ => None,
        },
        _ => None,
    }
}

/// The string members of `ty` down to `depth`, by path, with their own names.
fn string_members(api: &Api, ty: &Ty, depth: usize) -> Vec<(Vec<String>, String)> {
    let mut found = Vec::new();
    let Some(s) = api.structure(ty) else {
        return found;
    };
    for field in &s.fields {
        match api.unaliased(&field.ty) {
            Ty::String => found.push((vec![field.wire.clone()], field.wire.clone())),
            inner if depth > 1 => {
                for (mut path, name) in string_members(api, inner, depth - 1) {
                    path.insert(0, field.wire.clone());
                    found.push((path, name));
                }
            }
            _ => {}
        }
    }
    found
}

/// Whether the page's member `member` gives the cursor for the input `input`: the same
/// name (`continue`), `next` and the name (`pageToken`, `nextPageToken`), or Relay's
/// `after` and `endCursor`.
fn pairs(input: &str, member: &str, same_name_fits: bool) -> bool {
    let (input, member) = (normalized(input), normalized(member));
    (same_name_fits && member == input)
        || member.strip_prefix("next") == Some(input.as_str())
        || (input == "after" && member == "endcursor")
}

/// A name in lower case without separators: `next_page_token` and `nextPageToken` meet.
fn normalized(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Checks that every member a pagination names is there, with a type that fits: a list
/// of items, a string cursor or link, a boolean `more`, and an input that can take it.
fn check(api: &Api, op: &Operation, page: &Ty, pagination: &Pagination) -> Result<(), String> {
    let missing = |path: &[String]| format!("the page has no member `{}`", path.join("."));
    let item = if pagination.items.is_empty() {
        page
    } else {
        &api.members(page, &pagination.items)
            .ok_or_else(|| missing(&pagination.items))?
            .last()
            .expect("a path of one or more")
            .ty
    };
    let Ty::List(item) = api.unaliased(item) else {
        return Err(format!(
            "the page's `{}` is not a list",
            pagination.items.join(".")
        ));
    };
    let string_at = |path: &[String]| -> Result<(), String> {
        let fields = api.members(page, path).ok_or_else(|| missing(path))?;
        match fields.last().map(|f| api.unaliased(&f.ty)) {
            Some(Ty::String) => Ok(()),
            _ => Err(format!("the page's `{}` is not a string", path.join("."))),
        }
    };
    match &pagination.next {
        NextPage::LinkHeader(_) => Ok(()),
        NextPage::HeaderUrl(index) => {
            let header = &op.responses[pagination.response].headers[*index];
            match &header.ty {
                HeaderTy::Scalar(ty) if api.unaliased(ty) == &Ty::String => Ok(()),
                _ => Err(format!("the header `{}` is not a string", header.wire)),
            }
        }
        NextPage::Link(path) => string_at(path),
        NextPage::Cursor { from, to } => {
            string_at(from)?;
            check_input(api, op, to, &Ty::String)
        }
        NextPage::LastItem { member, more, to } => {
            let id = api
                .members(item, std::slice::from_ref(member))
                .ok_or_else(|| format!("the items have no member `{member}`"))?;
            if api.unaliased(&id[0].ty) != &Ty::String {
                return Err(format!("the items' `{member}` is not a string"));
            }
            if let Some(more) = more {
                let fields = api.members(page, more).ok_or_else(|| missing(more))?;
                if fields.last().map(|f| api.unaliased(&f.ty)) != Some(&Ty::Bool) {
                    return Err(format!("the page's `{}` is not a boolean", more.join(".")));
                }
            }
            check_input(api, op, to, &Ty::String)
        }
        NextPage::Offset { to, .. } => {
            check_input(api, op, to, &Ty::I64).or_else(|_| check_input(api, op, to, &Ty::I32))
        }
    }
}

/// Checks that `to` takes a value of type `ty`; a body member only where every struct on
/// the way down can be made empty (its fields are all optional), so the next request can
/// set it even when the first left it out.
pub(super) fn check_input(
    api: &Api,
    op: &Operation,
    to: &PageInput,
    ty: &Ty,
) -> Result<(), String> {
    match to {
        PageInput::Param(index) => {
            let param = &op.params[*index];
            if api.unaliased(&param.ty) == ty {
                Ok(())
            } else {
                Err(format!(
                    "the parameter `{}` is not of the cursor's type",
                    param.wire
                ))
            }
        }
        PageInput::Body(path) => {
            let body = json_request_body(op).ok_or("the request has no JSON body")?;
            let fields = api
                .members(body, path)
                .ok_or_else(|| format!("the request body has no member `{}`", path.join(".")))?;
            let last = fields.last().expect("a path of one or more");
            if api.unaliased(&last.ty) != ty {
                return Err(format!(
                    "the body's `{}` is not of the cursor's type",
                    path.join(".")
                ));
            }
            let optional = op.body.as_ref().is_some_and(|b| !b.required);
            let mut containers = vec![(body, optional)];
            containers.extend(
                fields[..fields.len() - 1]
                    .iter()
                    .map(|f| (&f.ty, !f.required)),
            );
            for (container, optional) in containers {
                let s = api
                    .structure(container)
                    .ok_or("a member on the way is not an object")?;
                let fillable = s.fields.iter().all(|f| !f.required);
                if optional && !fillable {
                    return Err("a member on the way has required fields".to_owned());
                }
            }
            Ok(())
        }
    }
}
