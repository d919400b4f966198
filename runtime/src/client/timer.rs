//! The client's source of time, and the timeouts that read it.

use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, SystemTime};

use futures_util::future::{select, Either};

use super::Error;

/// A future the client waits on; see [`Timer`].
pub type Sleep = Pin<Box<dyn Future<Output = ()> + Send>>;

/// The client's source of time: the waits between attempts, the timers of timeouts, and
/// the date a `Retry-After` date is read against. [`TokioTimer`] by default; a test
/// gives a clock of its own, so that retries and timeouts take no real time.
pub trait Timer: Send + Sync + 'static {
    /// Waits `duration`, between two attempts.
    fn sleep(&self, duration: Duration) -> Sleep;

    /// Is ready once `duration` has passed: the end of a timeout. Apart from
    /// [`Timer::sleep`] so that a test clock can skip the client's waits at once yet let
    /// timeouts run out only when the test moves its time on.
    fn deadline(&self, duration: Duration) -> Sleep {
        self.sleep(duration)
    }

    /// The current date.
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// Tokio's timers and the system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioTimer;

impl Timer for TokioTimer {
    fn sleep(&self, duration: Duration) -> Sleep {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// `future`, or [`Error::TimedOut`] once `timeout` (if any) has passed on `timer`.
pub(super) async fn within<T>(
    timer: &dyn Timer,
    timeout: Option<Duration>,
    future: impl Future<Output = Result<T, Error>>,
) -> Result<T, Error> {
    let Some(timeout) = timeout else {
        return future.await;
    };
    let deadline = timer.deadline(timeout);
    let future = std::pin::pin!(future);
    match select(future, deadline).await {
        Either::Left((result, _)) => result,
        Either::Right(((), _)) => Err(Error::TimedOut(timeout)),
    }
}
