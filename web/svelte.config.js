// SvelteKit as a static single-page app, written straight into ../pb_public where PocketBase serves it
// (unknown paths fall back to index.html, so /jobs/abc works on reload).
import adapter from "@sveltejs/adapter-static";
import { vitePreprocess } from "@sveltejs/vite-plugin-svelte";

// HVAC_WEB_OUT / HVAC_KIT_DIR move the output and SvelteKit's work dir (parallel builds).
const out = process.env.HVAC_WEB_OUT || "../pb_public";

export default {
  preprocess: vitePreprocess(),
  kit: {
    adapter: adapter({ pages: out, assets: out, fallback: "index.html", strict: false }),
    outDir: process.env.HVAC_KIT_DIR || ".svelte-kit",
    alias: { $domain: "../src/domain", $client: "../src/client" },
  },
};
