import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration files each boot their own PocketBase; two cores -> two at a time.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: "node",
          include: ["test/unit/**/*.test.ts", "test/integration/**/*.test.ts"],
          // Builds the hooks the integration tests boot PocketBase with.
          globalSetup: ["test/globalSetup.ts"],
        },
      },
      {
        // The Convex functions (convex/) on convex-test's in-memory backend, in the edge runtime
        // Convex runs them in. Needs no PocketBase and no hook build.
        extends: true,
        test: {
          name: "convex",
          include: ["test/convex/**/*.test.ts"],
          environment: "edge-runtime",
          server: { deps: { inline: ["convex-test"] } },
        },
      },
    ],
  },
});
