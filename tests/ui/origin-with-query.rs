use cors_runtime::cors;

#[cors(origins = ["https://app.example.com?tab=1"])]
async fn handler() {}

fn main() {}
