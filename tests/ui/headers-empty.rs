use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], headers = [])]
async fn handler() {}

fn main() {}
