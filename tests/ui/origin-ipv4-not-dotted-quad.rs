use cors_runtime::cors;

#[cors(origins = ["http://0x7f000001:8080"])]
async fn handler() {}

fn main() {}
