# mm7: the MM7 command (serve, relay, sim, send, stack, ...) in a small
# non-root image. Build: docker build -t mm7go/mm7 .
# The libxml2 validation package needs cgo, so the binary links libxml2
# dynamically: the runtime image carries the shared library only.

FROM golang:1.26-bookworm AS build
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends libxml2-dev pkg-config gcc \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ENV CGO_ENABLED=1
RUN go build -trimpath -ldflags="-s -w" -o /out/mm7 ./cmd/mm7

FROM debian:bookworm-slim
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends libxml2 ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/mm7 --create-home --shell /usr/sbin/nologin mm7
COPY --from=build /out/mm7 /usr/local/bin/mm7
USER 10001:10001
WORKDIR /var/lib/mm7
# 8078 MM7 (serve), 8077 MM7 (sim), 9090 /metrics /healthz /readyz
EXPOSE 8078 8077 9090
ENTRYPOINT ["/usr/local/bin/mm7"]
CMD ["--help"]
