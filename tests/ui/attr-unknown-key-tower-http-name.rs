use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], allow_credentials = true)]
async fn handler() {}

fn main() {}
