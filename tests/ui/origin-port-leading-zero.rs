use cors_runtime::cors;

#[cors(origins = ["https://app.example.com:08443"])]
async fn handler() {}

fn main() {}
