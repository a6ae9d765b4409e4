use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], headers = "content-type, x-api-key")]
async fn handler() {}

fn main() {}
