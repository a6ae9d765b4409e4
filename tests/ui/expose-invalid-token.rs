use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], expose_headers = ["x-request-id:"])]
async fn handler() {}

fn main() {}
