# endpaper in a container, for CI systems that run images (GitLab CI, Jenkins, …):
#   docker build -t endpaper .
#   docker run --rm -v "$PWD:/site" endpaper check . --strict
#   docker run --rm -v "$PWD:/site" endpaper build .
# The binary needs nothing beside it (templates and assets are inside), so the image is a
# slim Debian with one file added.
FROM rust:1-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked && cp target/release/endpaper /endpaper

FROM debian:bookworm-slim
COPY --from=build /endpaper /usr/local/bin/endpaper
WORKDIR /site
ENTRYPOINT ["endpaper"]
CMD ["--help"]
