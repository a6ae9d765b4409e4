use cors_runtime::{cors, policy, CorsPolicy};

const DASHBOARD: CorsPolicy = policy!(origins = ["https://dashboard.example.com"]);

#[cors(policy = "DASHBOARD")]
async fn handler() {}

fn main() {}
