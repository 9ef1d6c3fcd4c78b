import { describe, expect, it } from "vitest";
import { ClientResponseError } from "pocketbase";
import { createClient, createWithProgress, type UploadRequest } from "../../src/client";

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

/** An XMLHttpRequest stand-in the test drives: progress events, then an answer. */
class FakeRequest implements UploadRequest {
  opened: [string, string] | null = null;
  headers: Record<string, string> = {};
  body: FormData | null = null;
  upload: UploadRequest["upload"] = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  status = 0;
  responseText = "";
  open(method: string, url: string) {
    this.opened = [method, url];
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: FormData) {
    this.body = body;
  }
  answer(status: number, text: string) {
    this.status = status;
    this.responseText = text;
    this.onload?.();
  }
}

describe("createWithProgress(): a record with files, with upload progress", () => {
  function setup() {
    const pb = createClient("http://office:8090");
    pb.authStore.save("token-abc", null);
    const fake = new FakeRequest();
    const seen: number[] = [];
    const body = new FormData();
    body.append("jobId", "job1");
    const done = createWithProgress<{ id: string }>(pb, "equipment_photos", body, (p) => seen.push(p.loaded / p.total), () => fake);
    return { fake, seen, done, body };
  }

  it("posts the form with the session token, reports progress, resolves with the record", async () => {
    const { fake, seen, done, body } = setup();
    expect(fake.opened).toEqual(["POST", "http://office:8090/api/collections/equipment_photos/records"]);
    expect(fake.headers.Authorization).toBe("token-abc");
    expect(fake.body).toBe(body);
    fake.upload.onprogress?.({ loaded: 0, total: 0, lengthComputable: false }); // size not known yet: nothing to say
    fake.upload.onprogress?.({ loaded: 250, total: 1000, lengthComputable: true });
    fake.upload.onprogress?.({ loaded: 1000, total: 1000, lengthComputable: true });
    fake.answer(200, '{"id":"photo1"}');
    await expect(done).resolves.toEqual({ id: "photo1" });
    expect(seen).toEqual([0.25, 1]);
  });

  it("a refusal is the SDK's ClientResponseError with the server's field errors", async () => {
    const { fake, done } = setup();
    fake.answer(400, '{"code":400,"message":"Failed to create record.","data":{"file":{"code":"validation_invalid_mime_type","message":"x"}}}');
    const err = await done.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClientResponseError);
    expect(err).toMatchObject({ status: 400, response: { data: { file: { code: "validation_invalid_mime_type" } } } });
  });

  it("a lost connection is status 0; an answer that is not JSON still rejects cleanly", async () => {
    const first = setup();
    first.fake.onerror?.();
    await expect(first.done).rejects.toMatchObject({ status: 0 });
    const second = setup();
    second.fake.answer(502, "<html>Bad gateway</html>");
    await expect(second.done).rejects.toMatchObject({ status: 502 });
  });
});
