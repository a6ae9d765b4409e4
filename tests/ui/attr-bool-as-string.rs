use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], credentials = "true")]
async fn handler() {}

fn main() {}
