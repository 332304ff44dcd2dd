# syntax=docker/dockerfile:1
# DataFortress image: one binary, `fortress`, for every role (serve, worker, migrate, demo).
# Migrations are embedded in the binary (sqlx::migrate!), so the image needs no SQL files.
# Build: docker build -t datafortress .   (BuildKit, the default builder, for the cache mounts)

# --- build -----------------------------------------------------------------------------------
FROM rust:1-bookworm AS builder
WORKDIR /src
# sqlx's query macros use the committed .sqlx/ cache; no database is reachable while building.
ENV SQLX_OFFLINE=true
COPY . .
# The cache mounts keep the crates.io downloads and the compiled dependencies between builds,
# so a code change rebuilds only the workspace crates.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p app -p sandbox \
    && install -m 0755 target/release/fortress target/release/fortress-sandbox /usr/local/bin/

# --- runtime ---------------------------------------------------------------------------------
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates libstdc++6 \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin fortress \
    && mkdir -p /var/lib/fortress/objects && chown fortress:fortress /var/lib/fortress/objects
COPY --from=builder /usr/local/bin/fortress /usr/local/bin/fortress-sandbox /usr/local/bin/
# The web UI issue adds a Node build stage that copies the built UI to /app/web/dist.
WORKDIR /app
USER fortress
ENV HTTP_ADDR=0.0.0.0:8080 \
    WEB_DIST=/app/web/dist
EXPOSE 8080
ENTRYPOINT ["fortress"]
CMD ["serve", "--addr", "0.0.0.0:8080"]
