#!/usr/bin/env node
// `npx hvac <command>`: runs the TypeScript CLI through tsx (a runtime dependency), so the CLI,
// the dashboard and the hooks share src/domain without a separate build.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
