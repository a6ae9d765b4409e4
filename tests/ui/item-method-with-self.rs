use cors_runtime::cors;

struct Api;

impl Api {
    #[cors(origins = "*")]
    async fn handler(&self) {}
}

fn main() {}
