use cors_runtime::cors;

const ORIGINS_VAR: &str = "ALLOWED_ORIGINS";

#[cors(origins = env(ORIGINS_VAR))]
async fn handler() {}

fn main() {}
