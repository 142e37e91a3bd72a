# API and worker image (the same code; the command picks the process). Node 20 + ffmpeg for audio probing.
FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg ca-certificates && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
COPY core/package.json core/
COPY api/package.json api/
COPY workflows/package.json workflows/
COPY activities/package.json activities/
COPY workers/package.json workers/
COPY databricks/package.json databricks/
COPY clients/api-client/package.json clients/api-client/
RUN npm ci --omit=dev && npm install --no-save tsx@4
COPY core core
COPY api api
COPY workflows workflows
COPY activities activities
COPY workers workers
COPY databricks/src databricks/src
COPY tsconfig.json ./
# Workers load the pre-built workflow bundle instead of bundling at start.
RUN npx tsx workers/src/bundleWorkflows.ts
ENV NODE_ENV=production HOST=0.0.0.0
USER node
CMD ["npx", "tsx", "api/src/main.ts"]
