# syntax=docker/dockerfile:1
#
# Container image of the `ggzy` binary (package ggzy-gateway).
#
#   docker build -t ggzy .
#   docker run --rm -p 8080:8080 -v ggzy-data:/var/lib/ggzy ggzy
#
# Without GGZY_DATABASE_URL the server uses SQLite at /var/lib/ggzy/ggzy.db; without
# GGZY_JWT_SECRET / GGZY_PII_KEY it generates them into /var/lib/ggzy. Keep that volume.
# docker-compose.yml runs it against PostgreSQL.

ARG RUST_IMAGE=rust:1-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

# ---------------------------------------------------------------------------- builder
FROM ${RUST_IMAGE} AS builder

# diesel (postgres + sqlite) links the system libpq and libsqlite3.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libpq-dev libsqlite3-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /src
# The whole workspace: every member's manifest is needed to resolve it, the migrations
# (migrations/postgres, migrations/sqlite) and crates/kernel/data/cn-calendar.csv are
# embedded at compile time.
COPY . .

# The registry and target directory live in BuildKit cache mounts, so rebuilds after a
# source change recompile only the workspace crates. The binary is copied out of the
# cache mount in the same step.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/usr/local/cargo/git \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p ggzy-gateway --bin ggzy \
 && install -D -m 0755 target/release/ggzy /out/ggzy

# ---------------------------------------------------------------------------- runtime
FROM ${RUNTIME_IMAGE} AS runtime

RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libpq5 libsqlite3-0 ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 ggzy \
 && useradd --system --uid 10001 --gid ggzy --home-dir /var/lib/ggzy --no-create-home \
        --shell /usr/sbin/nologin ggzy \
 && install -d -o ggzy -g ggzy -m 0700 /var/lib/ggzy

COPY --from=builder /out/ggzy /usr/local/bin/ggzy

ENV GGZY_LISTEN=0.0.0.0:8080 \
    GGZY_DATA_DIR=/var/lib/ggzy \
    GGZY_LOG=info

USER ggzy:ggzy
WORKDIR /var/lib/ggzy
VOLUME ["/var/lib/ggzy"]
EXPOSE 8080

# /readyz answers 200 once the database answers and migrations are applied. The port is
# taken from GGZY_LISTEN so that overriding it does not break the check.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD curl -fsS -o /dev/null "http://127.0.0.1:${GGZY_LISTEN##*:}/readyz" || exit 1

ENTRYPOINT ["ggzy"]
CMD ["serve"]
