// The invoice review over HTTP: pending -> processed -> paid, what processing needs, field checks
// with errors by field, who may move an invoice back, and that a paid invoice is locked.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { completeNip } from "../../src/domain/nip";
import { completeNrb } from "../../src/domain/nrb";
import { createWorld, failure, makeContact, makeJob, type World } from "../helpers/fixtures";
import { startPocketBase, type RunningPocketBase } from "../helpers/pocketbase";

let pb: RunningPocketBase;
let w: World;
let jobId: string;

const NIP = completeNip("526104082")!;
const BAD_NIP = NIP.slice(0, 9) + String((Number(NIP[9]) + 1) % 10);
const NRB = completeNrb("109010140000071219812874")!;
const XML = `<?xml version="1.0" encoding="UTF-8"?><Faktura/>`;

beforeAll(async () => {
  pb = await startPocketBase();
  w = await createWorld(pb);
  const contact = await makeContact(w.dispatcher);
  jobId = (await makeJob(w.dispatcher, contact.id, { status: "scheduled", technicianId: w.ids.tech1, scheduledDate: new Date(Date.now() + 3_600_000).toISOString() })).id;
});
afterAll(async () => {
  await pb?.stop();
});

async function upload(client = w.dispatcher, fields: Record<string, string> = {}) {
  const form = new FormData();
  form.append("jobId", jobId);
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append("file", new Blob([XML], { type: "application/xml" }), "faktura.xml");
  return client.collection("invoices").create(form);
}

const reviewed = {
  invoiceNumber: "FV/2026/11/17", issueDate: "2026-11-20", dueDate: "2026-12-04", sellerName: "Chłodpol Sp. z o.o.",
  sellerNip: NIP, netAmount: 1000, vatAmount: 230, grossAmount: 1230, totalAmount: 1230, bankAccount: NRB,
  vatBreakdown: [{ rate: "23", net: 1000, vat: 230, gross: 1230 }],
};

describe("invoice review", () => {
  it("starts pending; a technician's upload cannot set the status", async () => {
    expect((await upload(w.tech1)).status).toBe("pending");
    const err = await failure(upload(w.tech1, { status: "processed" }));
    expect(err.status).toBe(403);
    expect(err.data.status.code).toBe("forbidden_field");
    const created = await failure(upload(w.dispatcher, { status: "paid" }));
    expect(created.data.status.code).toBe("invalid_transition");
  });

  it("refuses processing an incomplete invoice, naming every missing field", async () => {
    const inv = await upload();
    const err = await failure(w.dispatcher.collection("invoices").update(inv.id, { status: "processed" }));
    expect(err.status).toBe(400);
    expect(Object.fromEntries(Object.entries(err.data).map(([k, v]) => [k, v.code]))).toEqual({
      invoiceNumber: "required", issueDate: "required", sellerName: "required", totalAmount: "required",
    });
    expect((await w.dispatcher.collection("invoices").getOne(inv.id)).status).toBe("pending");
  });

  it("checks NIP, NRB and sums when they are edited", async () => {
    const inv = await upload();
    const err = await failure(w.dispatcher.collection("invoices").update(inv.id, { sellerNip: BAD_NIP, bankAccount: "12 3456", dueDate: "2026-01-01", issueDate: "2026-02-01" }));
    expect(err.data.sellerNip.code).toBe("nip_checksum");
    expect(err.data.sellerNip.message).toContain(BAD_NIP);
    expect(err.data.bankAccount.code).toBe("nrb_format");
    expect(err.data.dueDate.code).toBe("due_before_issue");
    const sums = await failure(w.dispatcher.collection("invoices").update(inv.id, { ...reviewed, grossAmount: 1230.5, status: "processed" }));
    expect(sums.data.grossAmount.code).toBe("totals_mismatch");
  });

  it("pending -> processed -> paid, with who and when; paid is locked; only a manager undoes it", async () => {
    const inv = await upload();
    const skip = await failure(w.dispatcher.collection("invoices").update(inv.id, { ...reviewed, status: "paid" }));
    expect(skip.data.status.code).toBe("invalid_transition");

    const processed = await w.dispatcher.collection("invoices").update(inv.id, { ...reviewed, status: "processed" });
    expect(processed).toMatchObject({ status: "processed", processedBy: w.ids.dispatcher, invoiceNumber: "FV/2026/11/17", totalAmount: 1230 });
    expect(Date.now() - Date.parse(processed.processedAt.replace(" ", "T"))).toBeLessThan(120_000);

    const paid = await w.dispatcher.collection("invoices").update(inv.id, { status: "paid" });
    expect(paid.status).toBe("paid");
    expect(paid.paidAt).not.toBe("");

    const locked = await failure(w.dispatcher.collection("invoices").update(inv.id, { totalAmount: 1 }));
    expect(locked.data.status.code).toBe("invoice_locked");
    const notManager = await failure(w.dispatcher.collection("invoices").update(inv.id, { status: "processed" }));
    expect(notManager.data.status.code).toBe("invalid_transition");

    const undone = await w.manager.collection("invoices").update(inv.id, { status: "processed" });
    expect(undone).toMatchObject({ status: "processed", paidAt: "" });
    const reopened = await w.dispatcher.collection("invoices").update(inv.id, { status: "pending" });
    expect(reopened).toMatchObject({ status: "pending", processedAt: "", processedBy: "" });
  });

  it("a correction invoice may have a negative total to pay", async () => {
    const inv = await upload();
    const fixed = await w.dispatcher.collection("invoices").update(inv.id, { ...reviewed, netAmount: -100, vatAmount: -23, grossAmount: -123, totalAmount: -123, vatBreakdown: [], status: "processed" });
    expect(fixed).toMatchObject({ status: "processed", totalAmount: -123 });
  });

  it("a paid invoice can be marked with the day it was paid", async () => {
    const inv = await upload();
    await w.dispatcher.collection("invoices").update(inv.id, { ...reviewed, status: "processed" });
    const paid = await w.dispatcher.collection("invoices").update(inv.id, { status: "paid", paidAt: "2026-11-21 00:00:00.000Z" });
    expect(paid.paidAt).toBe("2026-11-21 00:00:00.000Z");
  });
});
