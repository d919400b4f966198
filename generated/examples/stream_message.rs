//! A reply read as it is written: the response is a stream of server-sent events, each
//! one's data decoded into the description's `StreamEvent` as it arrives.
//!
//! `cargo run -p generated --features client --example stream_message` with
//! `ANTHROPIC_API_KEY` set.

use futures_util::StreamExt;
use generated::message_stream::auth::Credentials;
use generated::message_stream::client::{Client, MessagesOperations};
use generated::message_stream::models::{
    Message, MessageRequest, MessageRole, StreamEvent, StreamMessageAnthropicVersion,
};
use generated::message_stream::operations::StreamMessageParams;
use generated::message_stream::servers;
use generated::runtime::ApiKey;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base_url = std::env::args().nth(1).unwrap_or_else(servers::default_url);
    let key = std::env::var("ANTHROPIC_API_KEY").unwrap_or_default();
    let credentials = Credentials {
        api_key: Some(ApiKey::new(key)),
    };
    let client = Client::new(base_url).with_credentials(credentials);

    let params = StreamMessageParams::new(StreamMessageAnthropicVersion::N20230601);
    let request = MessageRequest::new(
        "claude-sonnet-4-5",
        1024,
        vec![Message::new(MessageRole::User, "Name three rivers.")],
        true,
    );
    let reply = client.stream_message(&params, &request).events().await?;
    // A documented error (4XX) is decoded whole, as for any call.
    let mut events = reply.value?;
    while let Some(event) = events.next().await {
        match event?.data {
            StreamEvent::ContentBlockDelta(delta) => print!("{}", delta.delta.text),
            StreamEvent::MessageStop(_) => break,
            StreamEvent::MessageStart(_) | StreamEvent::Ping(_) => {}
        }
    }
    println!();
    Ok(())
}
