use cors_runtime::{cors, policy, CorsPolicy};

const PUBLIC: CorsPolicy = policy!(origins = ["https://app.example.com"], headers = "*");

#[cors(policy = PUBLIC, credentials = true)]
async fn handler() {}

fn main() {}
