# One image for the API and the worker; docker-compose.yml and deploy/kubernetes pick the command.
# Built in two stages: the first compiles (TypeScript, the workflow bundle) with the dev
# dependencies, the second holds only compiled JavaScript and the production dependencies.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# The build id every worker of this image joins its Worker Deployment with (see README, Worker Versioning).
ARG BUILD_ID
RUN BUILD_ID="${BUILD_ID}" npm run build

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
# node itself as the command (run with an init, e.g. compose's `init: true`): SIGTERM reaches the
# process that handles it, where `npm run` as PID 1 would leave the worker running.
CMD ["node", "dist/entry-points/worker.js"]
