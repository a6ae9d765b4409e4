use cors_runtime::{policy, CorsPolicy};

const POLICY: CorsPolicy = policy!(origins = ["https://app.example.com/"]);

fn main() {}
