use cors_runtime::{policy, CorsPolicy};

const POLICY: CorsPolicy = policy!(origins = "*", policy = OTHER);

fn main() {}
