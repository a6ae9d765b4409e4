use cors_runtime::cors;

#[cors(origins = ["http://app.example.com"], dangerously_allow_insecure_origins = true)]
async fn handler() {}

fn main() {}
