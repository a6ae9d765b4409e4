use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], methods = [Method::GET])]
async fn handler() {}

fn main() {}
