// A hooks directory with our hooks plus a test-only admin route, POST /api/test/sql, that runs SQL
// on the server's database: {"sql": "..."} executes a statement and answers {changed}; {"query": "..."}
// runs a query whose one row has one text column `j` holding JSON and answers {j: <parsed>}.
// For tests and the bench only (inspect the outbox, add markers, break a table, bulk-insert rows).
import { mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, type RunningPocketBase } from "./pocketbase";

export function hooksWithSqlRoute(): string {
  const dir = mkdtempSync(join(tmpdir(), "hvac-sql-hooks-"));
  symlinkSync(join(ROOT, "pb_hooks", "hvac.pb.js"), join(dir, "hvac.pb.js"));
  symlinkSync(join(ROOT, "pb_hooks", "lib"), join(dir, "lib"));
  writeFileSync(join(dir, "test_sql.pb.js"), `
routerAdd("POST", "/api/test/sql", (c) => {
  const body = $apis.requestInfo(c).data;
  if (body.query) {
    const row = new DynamicModel({ j: "" });
    $app.dao().db().newQuery(body.query).one(row);
    return c.json(200, { j: JSON.parse(row.j) });
  }
  const r = $app.dao().db().newQuery(body.sql).execute();
  return c.json(200, { changed: r.rowsAffected() });
}, $apis.requireAdminAuth());
`);
  return dir;
}

export async function runSql(pb: RunningPocketBase, statement: string): Promise<number> {
  return (await pb.admin.send<{ changed: number }>("/api/test/sql", { method: "POST", body: { sql: statement } })).changed;
}

export async function queryJson<T>(pb: RunningPocketBase, query: string): Promise<T> {
  return (await pb.admin.send<{ j: T }>("/api/test/sql", { method: "POST", body: { query } })).j;
}
