use cors_runtime::cors;

#[cors(origins = ["https://app.example.com:443"])]
async fn handler() {}

fn main() {}
