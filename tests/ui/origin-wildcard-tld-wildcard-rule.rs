use cors_runtime::cors;

#[cors(origins = ["https://*.ck"])]
async fn handler() {}

fn main() {}
