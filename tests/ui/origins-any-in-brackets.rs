use cors_runtime::cors;

#[cors(origins = ["*"])]
async fn handler() {}

fn main() {}
