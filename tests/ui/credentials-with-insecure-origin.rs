use cors_runtime::cors;

#[cors(origins = ["http://app.example.com"], credentials = true)]
async fn handler() {}

fn main() {}
