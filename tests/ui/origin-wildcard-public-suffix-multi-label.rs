use cors_runtime::cors;

#[cors(origins = ["https://*.co.uk"])]
async fn handler() {}

fn main() {}
