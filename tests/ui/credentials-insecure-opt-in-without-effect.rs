use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], credentials = true, dangerously_allow_insecure_origins = true)]
async fn handler() {}

fn main() {}
