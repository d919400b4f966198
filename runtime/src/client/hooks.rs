//! Hooks: the caller's own behaviour around each attempt of a call, and what a hook
//! sees of the attempt.

use super::super::retry::Attempt;

/// An error of the caller's own code (a [`Hook`]), boxed.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// One attempt of a call, as a [`Hook`] sees it.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Context<'a> {
    /// The operation's `operationId`.
    pub operation: &'static str,
    /// The request's method.
    pub method: &'a http::Method,
    /// Which attempt this is: 1 for the first.
    pub attempt: u32,
}

/// The caller's own behaviour around each attempt of a call: signing, logging, metrics,
/// test assertions. Hooks run in the order they were added, the client's before the
/// call's. Both methods do nothing by default.
pub trait Hook: Send + Sync + 'static {
    /// Called with each attempt's request before it is sent; it may change it (add a
    /// header, sign it). An error stops the call with [`Error::Hook`](super::Error::Hook).
    fn before(
        &self,
        context: &Context<'_>,
        request: &mut reqwest::Request,
    ) -> Result<(), BoxError> {
        let _ = (context, request);
        Ok(())
    }

    /// Called with how each attempt ended, before the client decides whether to retry.
    fn after(&self, context: &Context<'_>, outcome: &Attempt<'_>) {
        let _ = (context, outcome);
    }
}
