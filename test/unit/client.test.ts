import { describe, expect, it } from "vitest";
import { createClient } from "../../src/client";

/** A fetch that records each call and answers only when the test says so. */
function heldFetch() {
  const calls: Array<{ subscriptions: string[]; release: () => void }> = [];
  const fetch = (_url: string, init: { body?: string }) =>
    new Promise<Response>((resolve) => {
      const body = JSON.parse(String(init.body ?? "{}")) as { subscriptions: string[] };
      calls.push({ subscriptions: body.subscriptions, release: () => resolve(new Response(null, { status: 204 })) });
    });
  return { calls, fetch };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("createClient(): realtime subscription lists are posted one at a time", () => {
  it("a second subscribe waits for the first post and sends the list as it is then", async () => {
    const pb = createClient("http://127.0.0.1:1");
    const { calls, fetch } = heldFetch();
    pb.beforeSend = (url, options) => ({ url, options: { ...options, fetch } });
    // As if connected: the SDK posts the list of topics that have listeners.
    const realtime = pb.realtime as unknown as {
      clientId: string;
      subscriptions: Record<string, unknown[]>;
      submitSubscriptions: () => Promise<void>;
    };
    realtime.clientId = "client1";
    realtime.subscriptions = { "realtime_events/*": [() => {}] };

    const first = realtime.submitSubscriptions(); // the alerts panel
    realtime.subscriptions["jobs/*"] = [() => {}];
    const second = realtime.submitSubscriptions(); // the board, a moment later
    await tick();
    // Sent together, the two posts could reach the server in either order and the older list
    // (without jobs/*) could be the one it keeps.
    expect(calls.map((c) => c.subscriptions)).toEqual([["realtime_events/*"]]);

    calls[0].release();
    await first;
    await tick();
    expect(calls.map((c) => c.subscriptions)).toEqual([["realtime_events/*"], ["realtime_events/*", "jobs/*"]]);
    calls[1].release();
    await second;
  });

  it("a failed post does not block the ones after it", async () => {
    const pb = createClient("http://127.0.0.1:1");
    let n = 0;
    pb.beforeSend = (url, options) => ({
      url,
      options: { ...options, fetch: async () => (++n === 1 ? new Response('{"message":"down"}', { status: 500 }) : new Response(null, { status: 204 })) },
    });
    const realtime = pb.realtime as unknown as { clientId: string; subscriptions: Record<string, unknown[]>; submitSubscriptions: () => Promise<void> };
    realtime.clientId = "client1";
    realtime.subscriptions = { "jobs/*": [() => {}] };
    await expect(realtime.submitSubscriptions()).rejects.toThrow();
    await realtime.submitSubscriptions(); // sent, and answered
    expect(n).toBe(2);
  });
});
