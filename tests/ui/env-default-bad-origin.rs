use cors_runtime::cors;

#[cors(origins = env("ALLOWED_ORIGINS", default = ["https://app.example.com/"]))]
async fn handler() {}

fn main() {}
