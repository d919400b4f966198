//! The span a call runs in, alone in its test binary: `tracing` caches per callsite
//! whether anyone listens, and another test's thread without a subscriber could cache
//! "never" for the call's span while this test's thread-local subscriber is set (CI saw
//! it fail that way beside the other client tests).

mod support;

use std::sync::{Arc, Mutex};

use support::*;
use wiremock::ResponseTemplate;

#[derive(Clone, Default)]
struct Spans(Arc<Mutex<Vec<String>>>);

struct Fields<'a>(&'a mut Vec<String>);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push(format!("{}={value:?}", field.name()));
    }
}

impl tracing::Subscriber for Spans {
    fn register_callsite(
        &self,
        _: &'static tracing::Metadata<'static>,
    ) -> tracing::subscriber::Interest {
        tracing::subscriber::Interest::always()
    }

    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut seen = self.0.lock().unwrap();
        seen.push(format!("span {}", span.metadata().name()));
        span.record(&mut Fields(&mut seen));
        tracing::span::Id::from_u64(seen.len() as u64)
    }

    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        values.record(&mut Fields(&mut self.0.lock().unwrap()));
    }

    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}

    fn event(&self, _: &tracing::Event<'_>) {}

    fn enter(&self, _: &tracing::span::Id) {}

    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test]
async fn a_call_is_one_span_with_its_operation_method_attempts_and_status() {
    let server = server().await;
    first(&server, "GET", "/thing", 1, ResponseTemplate::new(502)).await;
    always(&server, "GET", "/thing", ResponseTemplate::new(200)).await;
    let clock = Clock::new();
    let spans = Spans::default();
    let _default = tracing::subscriber::set_default(spans.clone());
    client(&server, &clock)
        .send::<GetThing>(&(), &())
        .await
        .unwrap()
        .unwrap();
    let seen = spans.0.lock().unwrap().clone();
    let calls = seen
        .iter()
        .filter(|field| *field == "span openapi.call")
        .count();
    assert_eq!(calls, 1, "{seen:?}");
    for field in [
        "operation=\"getThing\"",
        "method=GET",
        "attempt=1",
        "status=502",
        "attempt=2",
        "status=200",
    ] {
        assert!(seen.iter().any(|seen| seen == field), "{field} in {seen:?}");
    }
}
