use cors_runtime::{cors, policy, CorsPolicy};

const PUBLIC: CorsPolicy = policy!(origins = "*");

#[cors(policy = PUBLIC, credentials = true)]
async fn handler() {}

fn main() {}
