use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], methods = ["trace"])]
async fn handler() {}

fn main() {}
