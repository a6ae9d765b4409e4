use cors_runtime::cors;

#[cors(origins = "*", private_network = true)]
async fn handler() {}

fn main() {}
