use cors_runtime::{cors, policy, CorsPolicy};

const DASHBOARD: CorsPolicy = policy!(
    origins = ["https://dashboard.example.com"],
    credentials = true,
);

#[cors(policy = DASHBOARD, origins = ["http://dashboard.example.com"])]
async fn handler() {}

fn main() {}
