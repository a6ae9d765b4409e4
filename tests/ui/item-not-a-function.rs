use cors_runtime::cors;

#[cors(origins = "*")]
struct Handler;

fn main() {}
