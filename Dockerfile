# syntax=docker/dockerfile:1
# jixiao as a container: `docker build -t jixiao .` then see README "Deployment". Two stages: the first has the
# compilers better-sqlite3 needs, the second only Node and the installed packages, running as the unprivileged `node`.

FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
COPY forms ./forms
COPY cards ./cards
COPY examples ./examples
# Every package, so `prepare` compiles the sources to dist/; then only the runtime packages are kept.
RUN npm ci && npm prune --omit=dev && npm cache clean --force

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    TZ=Asia/Shanghai \
    DATABASE_URL=sqlite:/data/jixiao.sqlite \
    FILES_DIR=/data/files \
    MALLOC_ARENA_MAX=2
WORKDIR /app
COPY --from=build --chown=root:root /app /app
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The compiled service, one Node process, as npm start runs it. SIGTERM finishes in-flight requests and exits 0 (run
# with --init or the orchestrator's equivalent so signals reach it). The flag and MALLOC_ARENA_MAX keep the old
# generation's growth and glibc's arenas small: README "Performance" has what they save and cost.
CMD ["node", "--heap-growing-percent=50", "--max-semi-space-size=8", "dist/src/server.js"]
