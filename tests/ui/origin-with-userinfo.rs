use cors_runtime::cors;

#[cors(origins = ["https://admin@app.example.com"])]
async fn handler() {}

fn main() {}
