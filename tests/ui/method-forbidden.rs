use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], methods = [GET, CONNECT])]
async fn handler() {}

fn main() {}
