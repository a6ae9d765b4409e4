use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], methods = [patch])]
async fn handler() {}

fn main() {}
