# Two commands for a newcomer on Debian with Node 20: `make run` and `make test`.
# Every target installs what is missing first (npm ci only when package-lock.json changed).

NPM_STAMP := node_modules/.package-lock.json

.PHONY: help install build build-web chromium doc-tools run dev test test-unit test-integration test-e2e typecheck bench clean

help:
	@echo "make run    - install, build, migrate, load demo data, serve on HTTP_ADDR (default 127.0.0.1:8090) with the OCR worker"
	@echo "make test   - install, build, typecheck, run unit + integration tests, then the browser tests"
	@echo "make test-e2e - build the dashboard, run the Playwright specs (installs Debian's chromium if missing)"
	@echo "make bench  - throughput and alert latency, ours vs plain PocketBase; dashboard; OCR speed and accuracy; sync drain"
	@echo "make doc-tools - install Debian's poppler-utils, imagemagick, fonts-dejavu-core (reading documents)"
	@echo "make dev    - rebuild hooks on change and serve with hook reload"

$(NPM_STAMP): package.json package-lock.json
	@node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20 || (a===20 && b<19)) { console.error("Node " + process.versions.node + " is too old: Node 20.19 or newer is needed (vitest/vite). See README."); process.exit(1) }'
	npm ci --no-audit --no-fund
	@touch $(NPM_STAMP)

install: $(NPM_STAMP)

build: install
	node build/build.mjs --web

# Hooks + the SvelteKit dashboard (vite build in web/, written into pb_public/).
build-web: install
	node build/build.mjs --web

# Debian's own Chromium drives the browser tests (no browser download by Playwright).
CHROMIUM := /usr/bin/chromium

$(CHROMIUM):
	@command -v apt-get >/dev/null || { echo "$(CHROMIUM) is missing and there is no apt-get: install Chromium there (Debian/Ubuntu: apt-get install chromium)" >&2; exit 1; }
	@echo "Installing Debian's chromium for the browser tests (apt-get) ..."
	@SUDO=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq >/dev/null && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
	@test -x $(CHROMIUM) || { echo "apt-get did not install $(CHROMIUM)" >&2; exit 1; }

chromium: $(CHROMIUM)

# Reading documents (`hvac ocr`): poppler-utils reads a PDF's text layer and rasterises scanned
# pages (pdfinfo, pdftotext, pdfimages, pdftoppm); ImageMagick converts TIFF/HEIC for OCR, and the
# tests draw their invoices with it, in DejaVu fonts. OCR itself is tesseract.js from npm.
DOC_TOOLS := /usr/bin/pdftotext /usr/bin/pdftoppm /usr/bin/pdfimages /usr/bin/convert /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf

doc-tools:
	@missing=""; for f in $(DOC_TOOLS); do [ -e "$$f" ] || missing="$$missing $$f"; done; \
	if [ -n "$$missing" ]; then \
	  command -v apt-get >/dev/null || { echo "Missing:$$missing and there is no apt-get: install poppler-utils, ImageMagick and DejaVu fonts there" >&2; exit 1; }; \
	  echo "Installing Debian's poppler-utils, imagemagick and fonts-dejavu-core for reading documents (apt-get) ..."; \
	  SUDO=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq >/dev/null && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils imagemagick fonts-dejavu-core >/dev/null || exit 1; \
	  for f in $(DOC_TOOLS); do [ -e "$$f" ] || { echo "apt-get did not install $$f" >&2; exit 1; }; done; \
	fi

# doc-tools: the OCR worker that `hvac run` starts reads PDFs (poppler) and TIFF/HEIC (ImageMagick).
run: build doc-tools
	node bin/hvac.mjs run

# esbuild watch + PocketBase's own hook watcher (it restarts when pb_hooks changes).
dev: install
	node build/build.mjs --web
	node build/build.mjs --watch & HVAC_WATCH_PID=$$!; \
	  trap "kill $$HVAC_WATCH_PID" EXIT INT TERM; \
	  node bin/hvac.mjs run

typecheck: install
	npx tsc -p tsconfig.json --noEmit
	npx tsc -p pb_hooks/tsconfig.json --noEmit
	cd web && npx svelte-kit sync && npx svelte-check --tsconfig ./tsconfig.json --threshold error --output machine

# (vitest's global setup builds the hooks, so `npx vitest` alone works too)
# The browser tests run after vitest, never beside it (vitest's setup rebuilds the hooks, and
# both boot PocketBase on the 2 cores).
test: typecheck doc-tools
	npx vitest run
	@$(MAKE) --no-print-directory test-e2e

# Playwright against the real PocketBase (our hooks, demo data) serving the built dashboard.
test-e2e: build-web $(CHROMIUM)
	npx playwright test

test-unit: install
	npx vitest run test/unit

test-integration: install doc-tools
	npx vitest run test/integration

# API throughput/latency against plain PocketBase, then the dashboard in Chromium, then reading
# invoices (OCR time per page cold and warm, field accuracy on the generated set), then search
# latency over 100,000 jobs.
bench: build $(CHROMIUM) doc-tools
	node --import tsx test/bench/bench.ts
	node --import tsx test/bench/dashboard.ts
	node --import tsx test/bench/ocr.ts
	node --import tsx test/bench/sync.ts
	node --import tsx test/bench/search.ts

clean:
	rm -rf pb_public pb_hooks/lib pb_hooks/*.pb.js .bench test-results
