use cors_runtime::cors;

#[cors(orgins = ["https://app.example.com"])]
async fn handler() {}

fn main() {}
