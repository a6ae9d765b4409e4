use cors_runtime::cors;

#[cors(origins = ["https://*.example.org", "https://app.example.org"])]
async fn handler() {}

fn main() {}
