use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], methods = "*", credentials = true)]
async fn handler() {}

fn main() {}
