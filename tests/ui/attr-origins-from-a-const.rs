use cors_runtime::cors;

const ALLOWED_ORIGINS: [&str; 1] = ["https://app.example.com"];

#[cors(origins = ALLOWED_ORIGINS)]
async fn handler() {}

fn main() {}
