use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], credentials = "yes")]
async fn handler() {}

fn main() {}
