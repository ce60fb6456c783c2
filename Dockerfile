# Pulse-8 image: built from the lockfile with npm ci (packages from the npm registry only; Prisma's
# client is generated offline by postinstall: decision 002), the Remix build, then dev packages
# pruned. Runs as the unprivileged `node` user; the server migrates the database at start.
#   docker build -t pulse8 .
#   docker run -p 3000:3000 -e DATABASE_URL=postgres://… -e REDIS_URL=redis://… -e APP_ORIGIN=https://crm.example.com pulse8
FROM node:24-bookworm-slim AS build
WORKDIR /app
ENV CI=true SCARF_ANALYTICS=false
# The whole tree first: postinstall (Prisma generate) reads the schema and server/db.
COPY . .
RUN npm ci --no-audit --no-fund
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
COPY --from=build --chown=node:node /app /app
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# SIGTERM (docker stop) drains gracefully: give it more than the 10 s grace (docker stop -t 30).
CMD ["node", "--import", "tsx", "server/main.ts"]
