use cors_runtime::cors;

#[cors(origins = env("ALLOWED_ORIGINS", fallback = ["https://app.example.com"]))]
async fn handler() {}

fn main() {}
