use cors_runtime::cors;

#[cors(origins = ["https://*.amazonaws.com"], credentials = true)]
async fn handler() {}

fn main() {}
