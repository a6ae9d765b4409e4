use cors_runtime::cors;

#[cors(origins = ["ftp://files.example.com"])]
async fn handler() {}

fn main() {}
