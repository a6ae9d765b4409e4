use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], timeout = 5)]
async fn handler() {}

fn main() {}
