use cors_runtime::{policy, CorsPolicy};

const STORAGE: CorsPolicy = policy!(origins = ["https://*.s3.amazonaws.com"], credentials = true);

fn main() {}
