//! Stripe's cursor pagination: each page's last customer is where the next page starts
//! (`starting_after`), while `has_more` says there is one. The client walks it; the first
//! 250 customers are enough here. Creating a customer carries an idempotency key, so a
//! failed attempt is retried without creating two.
//!
//! `cargo run -p generated --features client --example list_customers` with
//! `STRIPE_API_KEY` set (a test-mode key).

use futures_util::StreamExt;
use generated::stripe_customers::auth::Credentials;
use generated::stripe_customers::client::{Client, CustomersOperations};
use generated::stripe_customers::operations::{GetCustomersParams, PostCustomersParams};
use generated::stripe_customers::{models, servers};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base_url = std::env::args().nth(1).unwrap_or_else(servers::default_url);
    let credentials = Credentials {
        bearer_auth: std::env::var("STRIPE_API_KEY").ok(),
        ..Credentials::default()
    };
    let client = Client::new(base_url).with_credentials(credentials);

    let new = models::PostCustomersRequest {
        email: Some("jenny.rosen@example.com".into()),
        ..models::PostCustomersRequest::default()
    };
    let params = PostCustomersParams {
        idempotency_key: Some("create-jenny-rosen".into()),
    };
    match client.post_customers(&params, &Some(new)).send().await? {
        Ok(created) => println!("created {created:?}"),
        Err(error) => println!("not created: {error}"),
    }

    let params = GetCustomersParams {
        limit: Some(100),
        ..GetCustomersParams::default()
    };
    let mut customers = client.get_customers(&params).items(Some(250));
    while let Some(customer) = customers.next().await {
        let customer = customer??;
        println!("{} {:?}", customer.id, customer.email.flatten());
    }
    Ok(())
}
