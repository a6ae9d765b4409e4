use cors_runtime::cors;

#[cors(origins = ["null"])]
async fn handler() {}

fn main() {}
