// SvelteKit as a static single-page app, written straight into ../pb_public where PocketBase serves it
// (unknown paths fall back to index.html, so /jobs/abc works on reload).
import adapter from "@sveltejs/adapter-static";
import { vitePreprocess } from "@sveltejs/vite-plugin-svelte";

export default {
  preprocess: vitePreprocess(),
  kit: {
    adapter: adapter({ pages: "../pb_public", assets: "../pb_public", fallback: "index.html", strict: false }),
    alias: { $domain: "../src/domain", $client: "../src/client" },
  },
};
