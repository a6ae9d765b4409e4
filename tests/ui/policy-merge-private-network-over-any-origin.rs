use cors_runtime::{cors, policy, CorsPolicy};

const PUBLIC: CorsPolicy = policy!(origins = "*");

#[cors(policy = PUBLIC, private_network = true)]
async fn handler() {}

fn main() {}
