use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], expose_headers = "*", credentials = true)]
async fn handler() {}

fn main() {}
