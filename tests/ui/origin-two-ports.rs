use cors_runtime::cors;

#[cors(origins = ["http://localhost:3000:*"])]
async fn handler() {}

fn main() {}
