use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], headers = ["proxy-authorization"])]
async fn handler() {}

fn main() {}
