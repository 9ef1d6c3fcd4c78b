// HTTP actions of the PocketBase sync (wire contract: src/domain/sync.ts, issue 5), served at
// https://<deployment>.convex.site. The office server authenticates with the shared secret
// (`npx convex env set CONVEX_SYNC_SECRET ...`): no Convex deploy key ever lives on it.
//
//   POST /pocketbase/push   {"changes":[...]} -> 200 {"results":[{id,status}]}
//   GET  /pocketbase/pull?since=CURSOR&limit=N[&origin=pocketbase] -> 200 {"changes":[...],"cursor":"..."}
//
// Errors: 401 wrong or missing secret, 400 bad body or query (`field` names the value, e.g.
// "changes[3].updated"), 413 body over 8 MB, 500 when the deployment has no secret set.
// Body: {"code","message","field"?} like Convex's own request errors.
import { httpRouter } from "convex/server";
import { httpAction } from "./_generated/server";
import { internal } from "./_generated/api";
import {
  bearerMatches, CONVEX_MAX_DOC_BYTES, CONVEX_MAX_REQUEST_BYTES, CONVEX_MUTATION_BYTES, CONVEX_MUTATION_DOCS,
  parsePullQuery, parsePushRequest, planBatches, SyncFormatError, type PushResult, type SyncChange,
} from "../src/domain/sync";
import { utf8Length } from "../src/domain/utf8";

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json; charset=utf-8", ...headers } });
}

function failure(status: number, code: string, message: string, field?: string): Response {
  const body: Record<string, string> = { code, message };
  if (field) body.field = field;
  return json(status, body, status === 401 ? { "WWW-Authenticate": 'Bearer realm="pocketbase-sync"' } : {});
}

/** null when the request carries the deployment's secret, else the answer to send. */
function refuse(request: Request): Response | null {
  const secret = process.env.CONVEX_SYNC_SECRET ?? "";
  if (!secret) {
    return failure(500, "misconfigured", "CONVEX_SYNC_SECRET is not set on this deployment: npx convex env set CONVEX_SYNC_SECRET <the office server's value>");
  }
  if (!bearerMatches(request.headers.get("Authorization"), secret)) {
    return failure(401, "unauthorized", "missing or wrong Authorization header: expected Bearer <CONVEX_SYNC_SECRET>");
  }
  return null;
}

function badRequest(e: unknown): Response {
  if (e instanceof SyncFormatError) return failure(400, "bad_request", e.message, e.path);
  throw e;
}

const push = httpAction(async (ctx, request) => {
  const refused = refuse(request);
  if (refused) return refused;
  const text = await request.text();
  if (utf8Length(text) > CONVEX_MAX_REQUEST_BYTES) {
    return failure(413, "too_large", `body: more than ${CONVEX_MAX_REQUEST_BYTES} bytes; send fewer changes per request`, "body");
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return failure(400, "bad_request", "body: not valid JSON", "body");
  }
  let changes: SyncChange[];
  try {
    changes = parsePushRequest(body);
  } catch (e) {
    return badRequest(e);
  }
  // Each internal mutation takes at most a hundred changes (and 4 MB): far inside Convex's per-
  // transaction limits and its 1 s. The chunks are separate transactions: if a later one fails, the
  // office server retries the whole request and the changes already applied answer "skipped".
  const { batches } = planBatches(changes.map((change) => ({ change })), {
    maxDocs: CONVEX_MUTATION_DOCS, maxRequestBytes: CONVEX_MUTATION_BYTES, maxDocBytes: CONVEX_MAX_DOC_BYTES,
  });
  const results: PushResult[] = [];
  for (const batch of batches) {
    const part: PushResult[] = await ctx.runMutation(internal.sync.applyChanges, { changes: batch.map((b) => b.change) });
    for (const r of part) results.push(r);
  }
  return json(200, { results });
});

const pull = httpAction(async (ctx, request) => {
  const refused = refuse(request);
  if (refused) return refused;
  let query;
  try {
    query = parsePullQuery(new URL(request.url).searchParams);
  } catch (e) {
    return badRequest(e);
  }
  const answer: { changes: SyncChange[]; cursor: string } = await ctx.runQuery(internal.sync.pullChanges, query);
  return json(200, answer);
});

const http = httpRouter();
http.route({ path: "/pocketbase/push", method: "POST", handler: push });
http.route({ path: "/pocketbase/pull", method: "GET", handler: pull });
export default http;
