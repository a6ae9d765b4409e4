use cors_runtime::cors;

#[cors(origins = ["https://résumé.example"])]
async fn handler() {}

fn main() {}
