use cors_runtime::cors;

#[cors(
    origins = ["https://app.example.com/", "*", "null"],
    methods = [patch, CONNECT],
    headers = ["cookie"],
    expose_headers = ["set-cookie"],
    credentials = true,
    max_age = 100000,
    colour = "blue",
)]
async fn handler() {}

fn main() {}
