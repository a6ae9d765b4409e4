use cors_runtime::cors;

#[cors(origins = ["https://*.compute.amazonaws.com"], credentials = true)]
async fn handler() {}

fn main() {}
