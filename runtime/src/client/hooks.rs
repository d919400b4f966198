//! Hooks: the caller's own behaviour around each attempt of a call, and what a hook
//! sees of the attempt. A hook may await before an attempt is sent (a token refreshed
//! over the network) through [`Hook::before_async`], a boxed future, so hooks of either
//! kind are one `Arc<dyn Hook>` and the client's type stays `Client<C>`.

use std::future::Future;
use std::pin::Pin;

use super::super::retry::Attempt;

/// An error of the caller's own code (a [`Hook`]), boxed.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// What [`Hook::before_async`] returns: its work, to be awaited before the attempt.
pub type HookFuture<'a> = Pin<Box<dyn Future<Output = Result<(), BoxError>> + Send + 'a>>;

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

    /// [`Hook::before`] for a hook that awaits: called with each attempt's request before
    /// it is sent, and awaited, so it may fetch a fresh token first (an error stops the
    /// call with [`Error::Hook`](super::Error::Hook)). By default it calls
    /// [`Hook::before`]; a hook that overrides it does its work here.
    ///
    /// ```text
    /// fn before_async<'a>(
    ///     &'a self,
    ///     _: &'a Context<'a>,
    ///     request: &'a mut reqwest::Request,
    /// ) -> HookFuture<'a> {
    ///     Box::pin(async move {
    ///         let token = self.tokens.fresh().await?;
    ///         request.headers_mut().insert("authorization", token.header()?);
    ///         Ok(())
    ///     })
    /// }
    /// ```
    fn before_async<'a>(
        &'a self,
        context: &'a Context<'a>,
        request: &'a mut reqwest::Request,
    ) -> HookFuture<'a> {
        Box::pin(std::future::ready(self.before(context, request)))
    }

    /// Called with how each attempt ended, before the client decides whether to retry.
    fn after(&self, context: &Context<'_>, outcome: &Attempt<'_>) {
        let _ = (context, outcome);
    }
}
