# Two commands for a newcomer on Debian with Node 20: `make run` and `make test`.
# Every target installs what is missing first (npm ci only when package-lock.json changed).

NPM_STAMP := node_modules/.package-lock.json

.PHONY: help install build run dev test test-unit test-integration typecheck bench clean

help:
	@echo "make run    - install, build, migrate, load demo data, serve on HTTP_ADDR (default 127.0.0.1:8090)"
	@echo "make test   - install, build, typecheck, run unit + integration tests"
	@echo "make bench  - throughput and alert latency, ours vs plain PocketBase"
	@echo "make dev    - rebuild hooks on change and serve with hook reload"

$(NPM_STAMP): package.json package-lock.json
	@node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20 || (a===20 && b<19)) { console.error("Node " + process.versions.node + " is too old: Node 20.19 or newer is needed (vitest/vite). See README."); process.exit(1) }'
	npm ci --no-audit --no-fund
	@touch $(NPM_STAMP)

install: $(NPM_STAMP)

build: install
	node build/build.mjs

run: build
	node bin/hvac.mjs run

# esbuild watch + PocketBase's own hook watcher (it restarts when pb_hooks changes).
dev: install
	node build/build.mjs
	node build/build.mjs --watch & HVAC_WATCH_PID=$$!; \
	  trap "kill $$HVAC_WATCH_PID" EXIT INT TERM; \
	  node bin/hvac.mjs run

typecheck: install
	npx tsc -p tsconfig.json --noEmit
	npx tsc -p pb_hooks/tsconfig.json --noEmit

# (vitest's global setup builds the hooks, so `npx vitest` alone works too)
test: typecheck
	npx vitest run

test-unit: install
	npx vitest run test/unit

test-integration: install
	npx vitest run test/integration

bench: build
	node --import tsx test/bench/bench.ts

clean:
	rm -rf pb_public pb_hooks/lib pb_hooks/*.pb.js .bench test-results
