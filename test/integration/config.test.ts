// GET /api/hvac/config: the map's tile server from HVAC_TILE_URL / HVAC_TILE_ATTRIBUTION, for
// signed-in users only. Three servers with different environments (started side by side).
import type PocketBase from "pocketbase";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorld, failure, PASSWORD, type World } from "../helpers/fixtures";
import { startPocketBase, type RunningPocketBase } from "../helpers/pocketbase";

const OSM = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
const OWN = "https://{s}.kafelki.example.pl/warszawa/{z}/{x}/{y}.png";

let plain: RunningPocketBase;
let own: RunningPocketBase;
let off: RunningPocketBase;
let w: World;

const config = (c: PocketBase) => c.send<{ tileUrl: string; tileAttribution: string }>("/api/hvac/config", { method: "GET" });

async function technician(pb: RunningPocketBase): Promise<PocketBase> {
  const email = "mapa@hvac.test";
  await pb.admin.collection("users").create({ email, password: PASSWORD, passwordConfirm: PASSWORD, name: "Mapa", role: "technician" });
  const c = pb.client();
  await c.collection("users").authWithPassword(email, PASSWORD);
  return c;
}

beforeAll(async () => {
  // Set explicitly (empty = unset for $os.getenv) so the developer's own environment cannot leak in.
  [plain, own, off] = await Promise.all([
    startPocketBase({ env: { HVAC_TILE_URL: "", HVAC_TILE_ATTRIBUTION: "" } }),
    startPocketBase({ env: { HVAC_TILE_URL: ` ${OWN} `, HVAC_TILE_ATTRIBUTION: "© Kafelki Sp. z o.o., dane OpenStreetMap" } }),
    startPocketBase({ env: { HVAC_TILE_URL: "none", HVAC_TILE_ATTRIBUTION: "nieużywane" } }),
  ]);
  w = await createWorld(plain);
});

afterAll(async () => {
  await Promise.all([plain?.stop(), own?.stop(), off?.stop()]);
});

describe("GET /api/hvac/config", () => {
  it("without variables: OpenStreetMap and its attribution, for every role", async () => {
    for (const who of ["dispatcher", "manager", "tech1"] as const) {
      expect(await config(w[who])).toEqual({ tileUrl: OSM, tileAttribution: "© OpenStreetMap contributors" });
    }
  });

  it("needs a signed-in user: anonymous 401, an admin (not a users record) 401", async () => {
    expect((await failure(config(w.anon))).status).toBe(401);
    expect((await failure(config(plain.admin))).status).toBe(401);
  });

  it("only GET", async () => {
    const res = await fetch(`${plain.url}/api/hvac/config`, { method: "POST", headers: { Authorization: w.dispatcher.authStore.token } });
    expect([404, 405]).toContain(res.status);
  });

  it("HVAC_TILE_URL and HVAC_TILE_ATTRIBUTION are passed on (trimmed)", async () => {
    expect(await config(await technician(own))).toEqual({ tileUrl: OWN, tileAttribution: "© Kafelki Sp. z o.o., dane OpenStreetMap" });
  });

  it('HVAC_TILE_URL=none: no tiles, no attribution', async () => {
    expect(await config(await technician(off))).toEqual({ tileUrl: "", tileAttribution: "" });
  });
});

describe("an unusable HVAC_TILE_URL", () => {
  let bad: RunningPocketBase;
  beforeAll(async () => {
    bad = await startPocketBase({ env: { HVAC_TILE_URL: "tile.openstreetmap.org/{z}/{x}.png", HVAC_TILE_ATTRIBUTION: "" } });
  });
  afterAll(async () => bad?.stop());

  it("means no tiles (never a 5xx) and is named in the server log", async () => {
    expect(await config(await technician(bad))).toEqual({ tileUrl: "", tileAttribution: "" });
    expect(bad.output()).toMatch(/HVAC_TILE_URL: must start with http/);
  });
});
