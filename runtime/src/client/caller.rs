//! What the generated methods stand on: a client that sets up a call of an operation.
//! Each generated crate has, with the `client` feature, one trait per group of
//! operations whose methods (one per operation, `client.issues_list_for_repo(&params)`)
//! are written once in terms of [`Caller::call`], and implemented for every `Caller`: the
//! asynchronous [`Client`] and, with `blocking`, the [`blocking::Client`]. Each method
//! returns what `client.call::<Op>(…)` does, so everything a call can do stays the same.
//!
//! [`blocking::Client`]: super::blocking::Client

use super::super::{Credentials, Operation};
use super::{Call, Client};

/// A client that sets up calls of operations.
pub trait Caller {
    /// A call of operation `O` being set up: a [`Call`] of the asynchronous client, a
    /// [`blocking::Call`](super::blocking::Call) of the blocking one.
    type Call<'a, O: Operation + 'a>
    where
        Self: 'a;

    /// A call of operation `O` with `params` and `body`, to set up and then send, as
    /// [`Client::call`] makes it.
    fn call<'a, O: Operation + 'a>(
        &'a self,
        params: &'a O::Params,
        body: &'a O::Body,
    ) -> Self::Call<'a, O>;
}

impl<C: Credentials> Caller for Client<C> {
    type Call<'a, O: Operation + 'a>
        = Call<'a, C, O>
    where
        Self: 'a;

    fn call<'a, O: Operation + 'a>(
        &'a self,
        params: &'a O::Params,
        body: &'a O::Body,
    ) -> Call<'a, C, O> {
        Client::call::<O>(self, params, body)
    }
}

#[cfg(feature = "blocking")]
impl<C: Credentials> Caller for super::blocking::Client<C> {
    type Call<'a, O: Operation + 'a>
        = super::blocking::Call<'a, C, O>
    where
        Self: 'a;

    fn call<'a, O: Operation + 'a>(
        &'a self,
        params: &'a O::Params,
        body: &'a O::Body,
    ) -> super::blocking::Call<'a, C, O> {
        super::blocking::Client::call::<O>(self, params, body)
    }
}
