use cors_runtime::cors;

#[cors(origins = ["https://app_example com"])]
async fn handler() {}

fn main() {}
