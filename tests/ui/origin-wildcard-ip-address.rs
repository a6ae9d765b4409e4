use cors_runtime::cors;

#[cors(origins = ["https://*.127.0.0.1"])]
async fn handler() {}

fn main() {}
