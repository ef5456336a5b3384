# One image for the API and the worker; docker-compose.yml picks the command.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
# Workers load this prebuilt bundle instead of running webpack at start.
RUN node --import tsx scripts/build-workflows.ts /app/dist/workflow-bundle.js
ENV WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js
# node itself as the command (run with an init, e.g. compose's `init: true`): SIGTERM reaches the
# process that handles it, where `npm run` as PID 1 would leave the worker running.
CMD ["node", "--import", "tsx", "entry-points/worker.ts"]
