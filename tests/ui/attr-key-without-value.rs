use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], credentials)]
async fn handler() {}

fn main() {}
