use cors_runtime::cors;

#[cors(origins = "*", credentials = true)]
async fn handler() {}

fn main() {}
