use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], expose_headers = ["set-cookie"])]
async fn handler() {}

fn main() {}
