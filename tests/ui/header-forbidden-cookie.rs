use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], headers = ["cookie"])]
async fn handler() {}

fn main() {}
