use cors_runtime::cors;

#[cors(origins = env(""))]
async fn handler() {}

fn main() {}
