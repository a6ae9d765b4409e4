use cors_runtime::cors;

#[cors(origins = ["file:///home/me/index.html"])]
async fn handler() {}

fn main() {}
