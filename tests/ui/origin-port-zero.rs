use cors_runtime::cors;

#[cors(origins = ["https://app.example.com:0"])]
async fn handler() {}

fn main() {}
