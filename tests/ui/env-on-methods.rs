use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], methods = env("ALLOWED_METHODS"))]
async fn handler() {}

fn main() {}
