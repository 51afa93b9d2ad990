# flashbrief with Debian's Chromium and fonts, for CI systems that run steps in
# containers. Untested where flashbrief is developed (no container engine there).
#   docker build -t flashbrief .
#   docker run --rm -v "$PWD:/work" flashbrief build
FROM node:22-bookworm-slim

# Chromium prints the PDFs; the fonts cover text the bundled fonts do not.
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium fonts-noto-core fonts-noto-cjk ca-certificates \
 && rm -rf /var/lib/apt/lists/*

ENV FLASHBRIEF_BROWSER=/usr/bin/chromium
WORKDIR /opt/flashbrief
COPY package.json package-lock.json tsconfig.json ./
COPY src ./src
COPY bin ./bin
COPY templates ./templates
COPY schema ./schema
# npm ci runs the package's prepare script, which compiles dist/; then drop what was only
# needed to compile it, and put the command on PATH.
RUN npm ci --no-audit --no-fund && npm prune --omit=dev && npm link

# Runs as root, as CI containers usually do, so it can write into the mounted project;
# flashbrief then starts Chromium without its sandbox, which needs privileges a container
# does not have. Briefs are printed with JavaScript off and every request refused.
WORKDIR /work
ENTRYPOINT ["flashbrief"]
CMD ["--help"]
