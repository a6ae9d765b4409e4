use cors_runtime::cors;

#[cors(origins = env("ALLOWED_ORIGINS", default = "*"), credentials = true)]
async fn handler() {}

fn main() {}
