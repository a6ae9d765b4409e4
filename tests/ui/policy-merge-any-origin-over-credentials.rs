use cors_runtime::{cors, policy, CorsPolicy};

const DASHBOARD: CorsPolicy = policy!(
    origins = ["https://dashboard.example.com"],
    credentials = true,
);

#[cors(policy = DASHBOARD, origins = "*")]
async fn handler() {}

fn main() {}
