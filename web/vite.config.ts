import { sveltekit } from "@sveltejs/kit/vite";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [tailwindcss(), sveltekit()],
  // Rolldown's report of slow plugins is noise in `make` output (SvelteKit's own writeBundle).
  build: { rolldownOptions: { checks: { pluginTimings: false } } },
  // The dashboard imports the shared domain code and typed client from ../src.
  // `vite dev` forwards the API to a running PocketBase (HVAC_API, default the `make run` address).
  server: {
    fs: { allow: [".."] },
    proxy: { "/api": process.env.HVAC_API || "http://127.0.0.1:8090", "/_": process.env.HVAC_API || "http://127.0.0.1:8090" },
  },
});
