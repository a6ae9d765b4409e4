use cors_runtime::cors;

#[cors(origins = ["http://localhost:80"])]
async fn handler() {}

fn main() {}
