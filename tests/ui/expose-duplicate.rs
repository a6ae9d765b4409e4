use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], expose_headers = ["x-request-id", "X-Request-Id"])]
async fn handler() {}

fn main() {}
