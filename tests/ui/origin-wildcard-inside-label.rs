use cors_runtime::cors;

#[cors(origins = ["https://ex*.org"])]
async fn handler() {}

fn main() {}
