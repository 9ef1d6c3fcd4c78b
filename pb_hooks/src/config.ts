// GET /api/hvac/config (signed-in users): what the dashboard needs from the server's environment.
// Today the map's tile server: HVAC_TILE_URL (default OpenStreetMap; "none" = no tiles) and
// HVAC_TILE_ATTRIBUTION. The rules for the values live in src/domain/map.ts.
import { tileConfig } from "../../src/domain/map";

export function getConfig(c: echo.Context): void {
  const tiles = tileConfig($os.getenv("HVAC_TILE_URL"), $os.getenv("HVAC_TILE_ATTRIBUTION"));
  if (tiles.problem) console.warn(`${tiles.problem} - the map is drawn without tiles.`);
  c.json(200, { tileUrl: tiles.tileUrl, tileAttribution: tiles.tileAttribution });
}
