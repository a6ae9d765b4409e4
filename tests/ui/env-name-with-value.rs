use cors_runtime::{policy, CorsPolicy};

const API: CorsPolicy = policy!(origins = env("ALLOWED_ORIGINS=https://app.example.com"));

fn main() {}
