//! What can go wrong writing a request: which parameter, property or other part of it,
//! and what is wrong with it.

use std::fmt;

use http::header::HeaderName;

use super::node::Unwritable;

/// A request that cannot be written as the description says: which parameter, property
/// or other part of it, and what is wrong.
#[derive(Debug)]
pub struct EncodeError {
    subject: Subject,
    problem: Problem,
}

#[derive(Debug)]
pub(crate) enum Subject {
    Parameter(String),
    Body,
    Property(String),
    BaseUrl,
    Uri,
    Header(HeaderName),
    Boundary,
    Credentials(String),
    NextPage,
}

#[derive(Debug)]
pub(crate) enum Problem {
    Serialize(Unwritable),
    Nested,
    NeedsObject(&'static str),
    NotMediaType(String),
    NotBytes,
    NotHeaderText,
    /// A header text that begins or ends with a space: RFC 9110 (sections 5.5 and 5.6.1)
    /// has servers drop the whitespace around a field value and around list items.
    HeaderWhitespace,
    HeaderName(http::header::InvalidHeaderName),
    HeaderValue(http::header::InvalidHeaderValue),
    QueryOrFragment,
    Uri(http::uri::InvalidUri),
    InvalidBoundary,
    BoundaryInPart,
    DotSegment,
    MissingCredentials(String),
    #[cfg_attr(not(feature = "client"), allow(dead_code))]
    NotUrl(String),
}

impl EncodeError {
    pub(crate) fn new(subject: Subject, problem: Problem) -> EncodeError {
        EncodeError { subject, problem }
    }

    /// The operation needs credentials the caller has none of; `schemes` says which
    /// would do.
    pub(crate) fn missing_credentials(schemes: String) -> EncodeError {
        EncodeError::new(
            Subject::Credentials(String::new()),
            Problem::MissingCredentials(schemes),
        )
    }

    /// The same problem, with the credentials of `scheme` at fault.
    pub(crate) fn for_credentials(self, scheme: &str) -> EncodeError {
        EncodeError::new(Subject::Credentials(scheme.to_owned()), self.problem)
    }

    pub(crate) fn parameter_error(name: &str, problem: Problem) -> EncodeError {
        EncodeError::new(Subject::Parameter(name.to_owned()), problem)
    }

    /// The name of the parameter that could not be written, if it was a parameter.
    pub fn parameter(&self) -> Option<&str> {
        match &self.subject {
            Subject::Parameter(name) => Some(name),
            _ => None,
        }
    }

    /// The body property that could not be written, if it was one.
    pub fn property(&self) -> Option<&str> {
        match &self.subject {
            Subject::Property(name) => Some(name),
            _ => None,
        }
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Parameter(name) => write!(f, "parameter `{name}`"),
            Subject::Body => f.write_str("the request body"),
            Subject::Property(name) => write!(f, "property `{name}` of the request body"),
            Subject::BaseUrl => f.write_str("the base URL"),
            Subject::Uri => f.write_str("the request URI"),
            Subject::Header(name) => write!(f, "the `{name}` header"),
            Subject::Boundary => f.write_str("the multipart boundary"),
            Subject::Credentials(scheme) if scheme.is_empty() => f.write_str("credentials"),
            Subject::Credentials(scheme) => write!(f, "the credentials of `{scheme}`"),
            Subject::NextPage => f.write_str("the URL of the next page"),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Serialize(error) => write!(f, "cannot be serialized: {error}"),
            Problem::Nested => f.write_str(
                "is nested too deeply: it can hold a scalar, a list of scalars or an object of scalars",
            ),
            Problem::NeedsObject(what) => write!(f, "is not an object, as {what} needs"),
            Problem::NotMediaType(content_type) => {
                write!(f, "is a list or an object, which cannot be written as `{content_type}`")
            }
            Problem::NotBytes => f.write_str("is not bytes (a string, or an array of numbers 0 to 255)"),
            Problem::NotHeaderText => f.write_str(
                "contains a control character, DEL or non-ASCII text, which a header cannot carry",
            ),
            Problem::HeaderWhitespace => f.write_str(
                "begins or ends with a space, which a server drops from a header",
            ),
            Problem::HeaderName(error) => write!(f, "is not a valid header name: {error}"),
            Problem::HeaderValue(error) => write!(f, "is not a valid header value: {error}"),
            Problem::QueryOrFragment => f.write_str("has a query or a fragment; it must end at its path"),
            Problem::Uri(error) => write!(f, "is not a valid URI: {error}"),
            Problem::InvalidBoundary => f.write_str(
                "is not 1 to 70 letters, digits or `'()+_,-./:=? `, or ends in a space (RFC 2046)",
            ),
            Problem::BoundaryInPart => f.write_str("occurs inside a part"),
            Problem::MissingCredentials(schemes) => {
                write!(f, "are missing: the operation needs {schemes}")
            }
            Problem::NotUrl(reason) => write!(f, "is not a URL the client can send to: {reason}"),
            Problem::DotSegment => f.write_str(
                "would have a segment `.` or `..`, which changes the path the request goes to",
            ),
        }
    }
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.subject, self.problem)
    }
}

impl std::error::Error for EncodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.problem {
            Problem::Serialize(error) => Some(error),
            Problem::HeaderName(error) => Some(error),
            Problem::HeaderValue(error) => Some(error),
            Problem::Uri(error) => Some(error),
            _ => None,
        }
    }
}
