# stormring: the daemons (dht-manager, dht-peer) and the server with its dashboard in one
# image. tsx (a production dependency) runs the TypeScript sources; only the dashboard is
# built, in a first stage with the dev dependencies, and copied in as static files.
#   docker build -t stormring .
#   docker run --rm stormring                       # prints dht-manager's help
#   docker compose up -d                            # see README, "Containers"
FROM node:20-bookworm-slim AS dashboard
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY tsconfig.json ./
COPY web/ ./web/
COPY daemons/src/ ./daemons/src/
COPY server/src/ ./server/src/
COPY data/src/ ./data/src/
RUN npm run build:web

FROM node:20-bookworm-slim

ENV NODE_ENV=production \
    DHT_DATA_DIR=/data
WORKDIR /app

# Everything stays owned by root, read-only to the node user who runs it.
# npm install, not npm ci: the lock file lacks other platforms' optional packages (see
# .ci/run), and npm ci refuses it as out of sync. Dev dependencies are left out; tsx stays.
COPY package.json package-lock.json ./
RUN npm install --omit=dev --no-audit --no-fund \
    && npm cache clean --force

COPY tsconfig.json ./
COPY bin/ ./bin/
COPY daemons/src/ ./daemons/src/
COPY server/src/ ./server/src/
COPY data/src/ ./data/src/
COPY --from=dashboard /build/web/dist/ ./web/dist/

USER node
# Manager UDP port, peers' UDP ports, control channels, dashboard.
EXPOSE 5000/udp 5001/udp 5002/udp 7000/tcp 3000/tcp
CMD ["node", "bin/dht-manager.js", "--help"]
