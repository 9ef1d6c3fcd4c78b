// `make bench`: our hooks against plain PocketBase (same binary, same schema, no hooks), on this
// machine, in this run. Figures are printed, never asserted: machines here are noisy.
//   1. job create throughput (ours / plain) - goal: hooks cost <= 15%. Also PocketBase with empty
//      JS handlers on the same events: the part of the cost that is PocketBase's own JS dispatch
//   2. emergency-alert delivery latency p50/p95 with 1 and 100 subscribers, next to plain
//      PocketBase delivering a realtime_events create to the same number of subscribers
//   3. server memory (RSS) after the run
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type PocketBase from "pocketbase";
import { ROOT, startPocketBase, type RunningPocketBase } from "../helpers/pocketbase";

const CREATES = Number(process.env.BENCH_CREATES || 400);
const ROUNDS = Number(process.env.BENCH_ROUNDS || 15);
const ALERTS = Number(process.env.BENCH_ALERTS || 40);
const PASSWORD = "bench-password-2026";

interface Side {
  name: string;
  pb: RunningPocketBase;
  dispatcher: PocketBase;
  contactId: string;
  techId: string;
}

const DESCRIPTIONS = [
  "Coroczny przegląd kotła gazowego", "Montaż klimatyzacji split 3,5 kW w salonie", "Wymiana pompy obiegowej",
  "Serwis pompy ciepła powietrze-woda", "Czyszczenie jednostki wewnętrznej i odgrzybianie", "Regulacja palnika",
];

/** A hooks dir with empty handlers on the events our hooks use for a job create. */
function emptyHooksDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "hvac-empty-hooks-"));
  writeFileSync(join(dir, "empty.pb.js"), 'onRecordBeforeCreateRequest((e) => {}, "jobs");\nonModelAfterCreate((e) => {}, "jobs");\n');
  return dir;
}

/**
 * Our migrations without our SQL triggers (the search index, the sync outbox): what the baselines
 * run, so the triggers' cost counts as ours, like the JS hooks'.
 */
function migrationsWithoutTriggers(): string {
  const dir = mkdtempSync(join(tmpdir(), "hvac-plain-migrations-"));
  cpSync(join(ROOT, "pb_migrations"), dir, { recursive: true });
  writeFileSync(join(dir, "1999999998_bench_no_triggers.js"), `migrate((db) => {
  const rows = arrayOf(new DynamicModel({ name: "" }));
  db.newQuery("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'hvac%'").all(rows);
  for (const r of rows) db.newQuery("DROP TRIGGER " + r.name).execute();
}, () => {});
`);
  return dir;
}

async function prepare(name: string, hooks: boolean | string, keepTriggers = hooks === true): Promise<Side> {
  // BENCH_HOOKS_DIR swaps our hooks for another build (profiling experiments).
  const hooksDir = typeof hooks === "string" ? hooks : hooks ? process.env.BENCH_HOOKS_DIR : undefined;
  const baseline = keepTriggers ? {} : { migrationsDir: migrationsWithoutTriggers() };
  const pb = await startPocketBase(hooksDir ? { hooksDir, ...baseline } : { hooks: !!hooks, ...baseline });
  const mk = (email: string, role: string, districts: string[] = []) =>
    pb.admin.collection("users").create({ email, password: PASSWORD, passwordConfirm: PASSWORD, name: email, role, districts });
  await mk("dispatcher@bench.test", "dispatcher");
  const tech = await mk("tech@bench.test", "technician", ["Mokotów"]);
  const dispatcher = pb.client();
  await dispatcher.collection("users").authWithPassword("dispatcher@bench.test", PASSWORD);
  // Plain PocketBase has no hook to derive defaults: give every field explicitly on both sides.
  const contact = await dispatcher.collection("contacts").create({
    name: "Jan Kowalski", phone: "+48 600 100 200", address: "ul. Puławska 145, 02-715 Warszawa",
    district: "Mokotów", propertyType: "apartment", affluenceScore: 74,
  });
  return { name, pb, dispatcher, contactId: contact.id, techId: tech.id };
}

const TYPES = ["maintenance", "repair", "installation", "inspection"];

/**
 * A realistic mix: every field plain PocketBase needs is given on both sides, but half the jobs
 * come without coordinates (call intake rarely knows them) and a quarter are repairs - the two
 * cases in which our hooks read the contact.
 */
function jobBody(side: Side, i: number, priority = "medium") {
  return {
    contactId: side.contactId, title: `Zlecenie ${i}`, description: DESCRIPTIONS[i % DESCRIPTIONS.length],
    type: TYPES[i % TYPES.length], status: "pending", priority, estimatedDuration: 90,
    coordinates: i % 2 ? { lat: 52.193, lng: 21.025 } : null,
  };
}

/** CPU seconds (user + system) the server process has used so far. */
function serverCpuSeconds(side: Side): number {
  const fields = readFileSync(`/proc/${side.pb.proc.pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

interface Batch {
  perSecond: number;
  /** Server CPU milliseconds per create: steadier than wall time, as the client shares the cores. */
  cpuMs: number;
}

async function createBatch(side: Side, n: number, offset: number): Promise<Batch> {
  const cpu0 = serverCpuSeconds(side);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await side.dispatcher.collection("jobs").create(jobBody(side, offset + i), { requestKey: null });
  const seconds = (performance.now() - t0) / 1000;
  return { perSecond: n / seconds, cpuMs: ((serverCpuSeconds(side) - cpu0) * 1000) / n };
}

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/** Subscribers that report the probe token of each create event they receive. */
async function subscribers(side: Side, count: number, onEvent: (probe: string, at: number) => void): Promise<PocketBase[]> {
  const clients: PocketBase[] = [];
  for (let i = 0; i < count; i++) {
    const c = side.pb.client();
    c.authStore.save(side.dispatcher.authStore.token, side.dispatcher.authStore.model);
    await c.collection("realtime_events").subscribe("*", (e) => {
      if (e.action !== "create") return;
      // Alerts carry the job title; the plain baseline carries the token in data.probe.
      const probe = e.record.type === "emergency_alert" ? e.record.data?.title : e.record.data?.probe;
      if (typeof probe === "string") onEvent(probe, performance.now());
    });
    clients.push(c);
  }
  return clients;
}

/**
 * ms from the start of the POST to each subscriber's receipt, over `ALERTS` events. The token is
 * known before the POST: an event may arrive before the POST's response does.
 */
async function latency(side: Side, subs: number, trigger: (probe: string) => Promise<void>): Promise<{ samples: number[]; lost: number }> {
  const waiting = new Map<string, { start: number; left: number; done: () => void }>();
  const samples: number[] = [];
  const clients = await subscribers(side, subs, (probe, at) => {
    const w = waiting.get(probe);
    if (!w) return;
    samples.push(at - w.start);
    if (--w.left === 0) w.done();
  });
  let lost = 0;
  for (let i = 0; i < ALERTS; i++) {
    const probe = `probe-${side.name}-${subs}-${i}`;
    let done!: () => void;
    const all = new Promise<void>((r) => (done = r));
    const entry = { start: performance.now(), left: subs, done };
    waiting.set(probe, entry);
    await trigger(probe);
    const timedOut = await Promise.race([all.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 5000))]);
    if (timedOut) lost += entry.left;
    waiting.delete(probe);
  }
  for (const c of clients) await c.realtime.unsubscribe();
  return { samples, lost };
}

function rssMb(side: Side): number {
  const status = readFileSync(`/proc/${side.pb.proc.pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function main() {
  console.log(`PocketBase bench: ${ROUNDS} rounds of ${CREATES} job creates per server, ${ALERTS} alerts per latency run\n`);
  const empty = emptyHooksDir();
  const ours = await prepare("ours", true);
  const plain = await prepare("plain", false);
  const floor = await prepare("floor", empty);
  // Plain PocketBase with our SQL triggers only (search index queue, sync outbox, clocks): how much
  // of our cost is theirs rather than the JS hooks'.
  const sql = await prepare("sql", false, true);
  try {
    // Warm up (every pooled JS VM loads its hooks once; SQLite cache), then run the servers one
    // after another in each round, in a rotating order. Ratios are taken within a round, so drift
    // of this shared machine between rounds cancels out; the median round is reported.
    for (const side of [ours, plain, floor, sql]) await createBatch(side, 300, 0);
    const rounds: Record<string, Batch>[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const order = [ours, plain, floor, sql];
      for (let k = 0; k < r % 4; k++) order.push(order.shift()!);
      const round: Record<string, Batch> = {};
      for (const side of order) round[side.name] = await createBatch(side, CREATES, 1000 + r * CREATES);
      rounds.push(round);
    }
    const median = (xs: number[]) => percentile(xs, 50);
    const spread = (xs: number[], f: (x: number) => string) => `${f(percentile(xs, 10))} to ${f(percentile(xs, 90))}`;
    const rate = (side: string) => median(rounds.map((r) => r[side].perSecond));
    const cpu = (side: string) => median(rounds.map((r) => r[side].cpuMs));
    const cost = (side: string) => rounds.map((r) => 1 - r[side].perSecond / r.plain.perSecond);
    const cpuRatio = (side: string) => rounds.map((r) => r[side].cpuMs / r.plain.cpuMs);
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    console.log(`1. Job create throughput (one client, sequential REST creates; median of ${ROUNDS} rounds)`);
    console.log(`   plain PocketBase:        ${rate("plain").toFixed(0)}/s, server CPU ${cpu("plain").toFixed(2)} ms per create`);
    console.log(`   with our hooks:          ${rate("ours").toFixed(0)}/s, server CPU ${cpu("ours").toFixed(2)} ms per create`);
    console.log(`   with empty JS handlers:  ${rate("floor").toFixed(0)}/s, server CPU ${cpu("floor").toFixed(2)} ms per create`);
    console.log(`   hooks cost (1 - ours/plain, per round): median ${pct(median(cost("ours")))} (goal <= 15%), rounds ${spread(cost("ours"), pct)}`);
    console.log(`   of which PocketBase's JS dispatch (empty handlers): median ${pct(median(cost("floor")))}`);
    console.log(`   of which our SQL triggers alone (plain PocketBase + triggers, ${cpu("sql").toFixed(2)} ms CPU per create): median ${pct(median(cost("sql")))}`);
    console.log(`   server CPU ratio ours/plain: median ${median(cpuRatio("ours")).toFixed(3)}, rounds ${spread(cpuRatio("ours"), (x) => x.toFixed(3))}`);
    console.log(`   (CPU is the steadier figure: the benchmark client shares the cores)\n`);

    console.log("2. Emergency-alert delivery latency, POST start -> subscriber receives the event");
    for (const subs of [1, 100]) {
      const alerts = await latency(ours, subs, async (probe) => {
        await ours.dispatcher.collection("jobs").create({ ...jobBody(ours, 0), title: probe, description: "Czuć zapach gazu w kotłowni" });
      });
      const baseline = await latency(plain, subs, async (probe) => {
        await plain.pb.admin.collection("realtime_events").create({ type: "message", data: { probe }, targetUsers: ["all"] });
      });
      const fmt = (r: { samples: number[]; lost: number }) =>
        `p50 ${percentile(r.samples, 50).toFixed(1)} ms, p95 ${percentile(r.samples, 95).toFixed(1)} ms (${r.samples.length} deliveries${r.lost ? `, ${r.lost} LOST` : ""})`;
      console.log(`   ${String(subs).padStart(3)} subscriber(s): alert via our hooks ${fmt(alerts)}`);
      console.log(`                     plain record create event ${fmt(baseline)}`);
      console.log(`                     p50 ratio ours/plain ${(percentile(alerts.samples, 50) / percentile(baseline.samples, 50)).toFixed(2)}`);
    }
    console.log(`\n3. Server memory after the run (RSS): ours ${rssMb(ours).toFixed(0)} MB, plain ${rssMb(plain).toFixed(0)} MB, ratio ${(rssMb(ours) / rssMb(plain)).toFixed(2)}`);
  } finally {
    if (process.env.BENCH_PRINT_OUTPUT) console.log(ours.pb.output());
    for (const side of [ours, plain, floor, sql]) await side.pb.stop();
    rmSync(empty, { recursive: true, force: true });
  }
}

await main();
process.exit(0);
