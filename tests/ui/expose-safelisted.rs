use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], expose_headers = ["content-type"])]
async fn handler() {}

fn main() {}
