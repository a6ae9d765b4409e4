use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], headers = ["Host"])]
async fn handler() {}

fn main() {}
