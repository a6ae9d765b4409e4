use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], methods = ["PUT DELETE"])]
async fn handler() {}

fn main() {}
