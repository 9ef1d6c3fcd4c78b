// Writes convex/_generated/ offline with the `convex` package's own code generation templates.
// `npx convex codegen` needs a live deployment, which these machines cannot reach; the generated
// files are committed (convex-test and `npx convex deploy` need them). Re-run after adding a module
// to convex/: `node build/convex-codegen.mjs`. On a machine with a deployment, `npx convex codegen`
// produces the same kind of files (typed from the schema; it may format them differently).
import { readdirSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const templates = join(root, "node_modules/convex/dist/esm/cli/codegen_templates");
const { apiCodegen } = await import(join(templates, "api.js"));
const { serverCodegen } = await import(join(templates, "server.js"));
// (dataModel.js pulls in the CLI's bundled dependencies; its schema-typed template is this text.)
const { header } = await import(join(templates, "common.js"));
const dataModelDTS = `${header("Generated data model types.")}
import type { DataModelFromSchemaDefinition, DocumentByName, TableNamesInDataModel, SystemTableNames } from "convex/server";
import type { GenericId } from "convex/values";
import schema from "../schema.js";

/**
 * The names of all of your Convex tables.
 */
export type TableNames = TableNamesInDataModel<DataModel>;

/**
 * The type of a document stored in Convex.
 *
 * @typeParam TableName - A string literal type of the table name (like "users").
 */
export type Doc<TableName extends TableNames> = DocumentByName<DataModel, TableName>;

/**
 * An identifier for a document in Convex.
 *
 * @typeParam TableName - A string literal type of the table name (like "users").
 */
export type Id<TableName extends TableNames | SystemTableNames> = GenericId<TableName>;

/**
 * A type describing your Convex data model.
 */
export type DataModel = DataModelFromSchemaDefinition<typeof schema>;
`;

const convexDir = join(root, "convex");
const modules = readdirSync(convexDir)
  .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith(".d.ts") && f !== "schema.ts" && !f.startsWith("_") && !f.includes(".config."))
  .sort();

const out = join(convexDir, "_generated");
mkdirSync(out, { recursive: true });
const api = apiCodegen(modules, { useTypeScript: false });
const server = serverCodegen({ useTypeScript: false, envVars: undefined });
// Formatted like `npx convex codegen` does (prettier ships with convex).
const { format } = await import("prettier");
const tidy = (s, parser = "typescript") => format(s, { parser });
writeFileSync(join(out, "api.d.ts"), await tidy(api.DTS));
writeFileSync(join(out, "api.js"), await tidy(api.JS, "babel"));
writeFileSync(join(out, "server.d.ts"), await tidy(server.DTS));
writeFileSync(join(out, "server.js"), await tidy(server.JS, "babel"));
writeFileSync(join(out, "dataModel.d.ts"), await tidy(dataModelDTS));
console.log(`convex/_generated: api, server, dataModel for ${modules.join(", ")}`);
