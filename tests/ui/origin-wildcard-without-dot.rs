use cors_runtime::cors;

#[cors(origins = ["https://*example.org"])]
async fn handler() {}

fn main() {}
