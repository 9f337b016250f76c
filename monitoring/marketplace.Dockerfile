# The demo service for docker-compose.yml, built from the repository root (context `..`).
FROM node:22-bookworm-slim
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund && npm run build
ENV PORT=8000
EXPOSE 8000
CMD ["node", "examples/marketplace-service/dist/main.js"]
