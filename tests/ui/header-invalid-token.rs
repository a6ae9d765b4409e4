use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], headers = ["x-api key"])]
async fn handler() {}

fn main() {}
