use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], methods = [delete])]
async fn handler() {}

fn main() {}
