import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/unit/**/*.test.ts", "test/integration/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration files each boot their own PocketBase; two cores -> two at a time.
    maxWorkers: 2,
    globalSetup: ["test/globalSetup.ts"],
  },
});
