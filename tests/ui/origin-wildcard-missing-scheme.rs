use cors_runtime::cors;

#[cors(origins = ["*.example.org"])]
async fn handler() {}

fn main() {}
