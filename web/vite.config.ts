import { sveltekit } from "@sveltejs/kit/vite";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [tailwindcss(), sveltekit()],
  // The dashboard imports the shared domain code and typed client from ../src.
  server: { fs: { allow: [".."] }, proxy: { "/api": "http://127.0.0.1:8090", "/_": "http://127.0.0.1:8090" } },
});
