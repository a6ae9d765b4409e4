use cors_runtime::{policy, CorsPolicy};

const POLICY: CorsPolicy = policy!(origins = "*", max_ages = 600);

fn main() {}
