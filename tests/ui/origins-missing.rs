use cors_runtime::cors;

#[cors(methods = [GET, PUT])]
async fn handler() {}

fn main() {}
