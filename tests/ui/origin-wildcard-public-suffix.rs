use cors_runtime::cors;

#[cors(origins = ["https://*.com"])]
async fn handler() {}

fn main() {}
