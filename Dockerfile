# stormring: the daemons (dht-manager, dht-peer) and the server with its dashboard in one
# image. A first stage with the dev dependencies compiles the commands into dist/ and the
# dashboard into web/dist; the image holds those and the production dependencies only.
#   docker build -t stormring .
#   docker run --rm stormring                       # prints dht-manager's help
#   docker compose up -d                            # see README, "Containers"
FROM node:20-bookworm-slim AS build
WORKDIR /build
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` compiles the sources, which are not copied in yet.
RUN npm install --no-audit --no-fund --ignore-scripts
COPY tsconfig.json ./
COPY web/ ./web/
COPY daemons/src/ ./daemons/src/
COPY server/src/ ./server/src/
COPY data/src/ ./data/src/
RUN npm run build && npm run build:web

FROM node:20-bookworm-slim

ENV NODE_ENV=production \
    DHT_DATA_DIR=/data
WORKDIR /app

# Everything stays owned by root, read-only to the node user who runs it.
# npm install, not npm ci: the lock file lacks other platforms' optional packages (see
# .ci/run), and npm ci refuses it as out of sync. Dev dependencies are left out, and with
# them `prepare`'s build (done in the first stage).
COPY package.json package-lock.json ./
RUN npm install --omit=dev --ignore-scripts --no-audit --no-fund \
    && npm rebuild better-sqlite3 \
    && npm cache clean --force

COPY bin/ ./bin/
COPY --from=build /build/dist/ ./dist/
COPY --from=build /build/web/dist/ ./web/dist/

USER node
# Manager UDP port, peers' UDP ports, control channels, dashboard.
EXPOSE 5000/udp 5001/udp 5002/udp 7000/tcp 3000/tcp
CMD ["node", "bin/dht-manager.js", "--help"]
