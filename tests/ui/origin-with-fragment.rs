use cors_runtime::cors;

#[cors(origins = ["https://app.example.com#top"])]
async fn handler() {}

fn main() {}
