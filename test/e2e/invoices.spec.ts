// The dispatcher's invoices (/invoices, /invoices/<id>): an invoice photo read in the browser (OCR
// loaded on demand from our own server, nothing fetched from elsewhere) opens its review filled;
// the dispatcher corrects it and moves it pending -> processed -> paid; the server's refusals
// (a NIP failing its checksum, paid before processed) are said in Polish; a PDF uploaded through
// the API waits for the server's reading and the page follows it live. The invoice images are
// drawn by the test itself (test/helpers/documents.ts, ImageMagick).
import type { BrowserContext, Page } from "@playwright/test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "../../src/client";
import { formatNrb } from "../../src/domain/nrb";
import { storedReading } from "../../src/domain/ocr-record";
import { fieldsFromText } from "../../src/domain/reading";
import { readingOf, uploadColumns, type InvoiceRow } from "../../src/domain/invoiceview";
import { CLEAN, invoiceDocuments, invoiceTextPdf, renderImage, type InvoiceDocument } from "../helpers/documents";
import { ADMIN_EMAIL, ADMIN_PASSWORD } from "../helpers/pocketbase";
import { apiAs, someContact, uniqueTitle } from "./api";
import { DISPATCHER, DISPATCHER2, MANAGER, expect, loginAs, pathIs, test } from "./fixtures";

// Reading an image needs the engine and both languages on first use (~10 MB, a few seconds on 2 cores).
test.setTimeout(90_000);

const DOCS = invoiceDocuments();
const A1 = DOCS.find((d) => d.id === "a1")!;
const D1 = DOCS.find((d) => d.id === "d1")!;

let dir = "";
let a1Png = "";
let d1Png = "";

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "hvac-e2e-invoices-"));
  a1Png = join(dir, "faktura-a1.png");
  d1Png = join(dir, "faktura-d1.png");
  await renderImage(A1.draws, a1Png, { ...CLEAN, family: A1.font });
  await renderImage(D1.draws, d1Png, { ...CLEAN, family: D1.font });
});

test.afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function adminApi() {
  const url = process.env.E2E_BASE_URL!;
  const pb = createClient(url);
  await pb.admins.authWithPassword(ADMIN_EMAIL, ADMIN_PASSWORD);
  return pb;
}

/** Every request the context makes (pages and their workers), to check none leaves the origin. */
function recordRequests(context: BrowserContext): string[] {
  const urls: string[] = [];
  context.on("request", (r) => urls.push(r.url()));
  return urls;
}

function foreign(urls: string[], origin: string): string[] {
  return urls.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith("blob:") && !u.startsWith("data:"));
}

/** A text the invoice's drawn lines give (top to bottom), as a PDF text layer would. */
function docText(doc: InvoiceDocument): string {
  const rows = new Map<number, Array<{ x: number; text: string }>>();
  for (const d of doc.draws) rows.set(d.y, [...(rows.get(d.y) ?? []), { x: d.x, text: d.text }]);
  return [...rows.entries()].sort((a, b) => a[0] - b[0]).map(([, cells]) => cells.sort((a, b) => a.x - b.x).map((c) => c.text).join("   ")).join("\n");
}

/** What the server's worker stores after reading a PDF with a text layer. */
function workerReading(doc: InvoiceDocument) {
  const parsed = fieldsFromText(docText(doc), null, "invoice");
  const reading = storedReading({ kind: "invoice", source: "pdf-text", pages: 1, fields: parsed.fields, review: parsed.review, ocrConfidence: null, text: docText(doc) }, "worker", new Date());
  return { reading, columns: uploadColumns(reading.fields) };
}

async function openUpload(page: Page) {
  await page.goto("/invoices");
  await page.getByRole("button", { name: "Dodaj fakturę" }).click();
}

test("an invoice photo is read in the browser with progress, opens filled, is corrected, processed and paid; nothing leaves the origin", async ({ page, context, baseURL }) => {
  const urls = recordRequests(context);
  // Hold the Polish language data until the progress bar has been seen: on a fast machine the
  // whole reading could otherwise be over before anyone looks.
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let held = 0;
  await context.route("**/ocr/lang/pol.traineddata.gz", async (route) => {
    held++;
    await released;
    await route.continue();
  });

  await loginAs(page, DISPATCHER);
  await expect(page.getByRole("navigation", { name: "menu" }).getByRole("link", { name: "Faktury" })).toBeVisible();
  // Nothing of the OCR engine is loaded with the page.
  expect(urls.filter((u) => u.includes("/ocr/"))).toEqual([]);
  await openUpload(page);
  await page.getByLabel("Plik faktury", { exact: true }).setInputFiles(a1Png);
  await expect(page.getByTestId("upload-plan")).toHaveAttribute("data-plan", "ocr");

  const progress = page.getByTestId("ocr-progress");
  await expect(progress).toBeVisible();
  await expect(progress).toContainText("Wczytywanie silnika OCR");
  await expect.poll(() => held).toBe(1);
  release();
  await expect(page.getByTestId("ocr-note")).toHaveAttribute("data-state", "read", { timeout: 60_000 });
  await expect(page.getByTestId("ocr-note")).toContainText("Odczytano w przeglądarce");

  await page.getByRole("button", { name: "Wyślij fakturę" }).click();
  await expect(page).toHaveURL(/\/invoices\/[a-z0-9]{15}$/);
  const id = new URL(page.url()).pathname.split("/").pop()!;

  // The review opens with the fields the browser read.
  await expect(page.getByLabel("Numer faktury", { exact: true })).toHaveValue(A1.truth.number);
  await expect(page.getByLabel("NIP sprzedawcy", { exact: true })).toHaveValue(A1.truth.sellerNip);
  await expect(page.getByLabel("Data wystawienia", { exact: true })).toHaveValue(A1.truth.issueDate);
  await expect(page.getByLabel("Termin płatności", { exact: true })).toHaveValue(A1.truth.dueDate);
  await expect(page.getByLabel("Do zapłaty", { exact: true })).toHaveValue("1057,80");
  await expect(page.getByLabel("Netto, stawka 23%", { exact: true })).toHaveValue("860,00");
  await expect(page.getByLabel("Numer konta (NRB)", { exact: true })).toHaveValue(formatNrb(A1.truth.bankAccount)!);
  await expect(page.getByLabel("Mechanizm podzielonej płatności", { exact: true })).toBeChecked();
  await expect(page.getByTestId("read-totalAmount")).toContainText("Odczytano: 1 057,80 zł");
  await expect(page.getByTestId("read-totalAmount")).toContainText(/pewność \d+%/);
  await expect(page.getByTestId("ocr-badge")).toHaveAttribute("data-state", "done");
  await expect(page.getByTestId("ocr-panel")).toContainText("w przeglądarce");
  await expect(page.getByTestId("invoice-image")).toBeVisible();

  const api = await apiAs(DISPATCHER);
  const stored = await api.collection("invoices").getOne<InvoiceRow>(id);
  expect(readingOf(stored.ocrData)?.reader).toBe("browser");
  expect(stored.totalAmount).toBe(1057.8);
  expect(stored.status).toBe("pending");

  // Paid is not offered before processed.
  const moves = page.getByTestId("moves");
  await expect(moves.getByRole("button", { name: "Oznacz jako przetworzoną" })).toBeVisible();
  await expect(moves.getByRole("button", { name: "Oznacz jako zapłaconą" })).toHaveCount(0);

  // A NIP with a wrong check digit: the server refuses it, said in Polish next to the field.
  const nip = page.getByLabel("NIP sprzedawcy", { exact: true });
  await nip.fill("5261040829");
  await page.getByRole("button", { name: "Zapisz zmiany" }).click();
  await expect(page.getByTestId("err-sellerNip")).toHaveText("Nieprawidłowy NIP: suma kontrolna się nie zgadza. Sprawdź cyfry.");
  await expect(nip).toHaveAttribute("aria-invalid", "true");
  expect((await api.collection("invoices").getOne<InvoiceRow>(id)).sellerNip).toBe(A1.truth.sellerNip);

  // Correct one field (and put the NIP back), save.
  await nip.fill(A1.truth.sellerNip);
  await page.getByLabel("Sprzedawca (nazwa)", { exact: true }).fill("Klimat-Serwis Spółka z o.o.");
  await page.getByRole("button", { name: "Zapisz zmiany" }).click();
  await expect(page.getByTestId("form-note")).toHaveText("Zapisano.");
  await expect(page.getByTestId("err-sellerNip")).toHaveCount(0);
  expect((await api.collection("invoices").getOne<InvoiceRow>(id)).sellerName).toBe("Klimat-Serwis Spółka z o.o.");

  await moves.getByRole("button", { name: "Oznacz jako przetworzoną" }).click();
  await expect(page.getByTestId("invoice-status")).toHaveText("przetworzona");
  await expect(moves.getByRole("button", { name: "Przywróć do sprawdzenia" })).toBeVisible();
  await moves.getByRole("button", { name: "Oznacz jako zapłaconą" }).click();
  await expect(page.getByTestId("invoice-status")).toHaveText("zapłacona");
  await expect(page.getByTestId("locked-note")).toBeVisible();
  await expect(page.getByLabel("Numer faktury", { exact: true })).toBeDisabled();
  // Undoing a payment is a manager's: a dispatcher has no button for it.
  await expect(moves.getByRole("button")).toHaveCount(0);
  const paid = await api.collection("invoices").getOne<InvoiceRow>(id);
  expect(paid.status).toBe("paid");
  expect(paid.paidAt).not.toBe("");
  expect(paid.processedAt).not.toBe("");

  // It is in the list's "Zapłacone" tab, with its total in Polish notation.
  await page.goto("/invoices?tab=paid");
  const row = page.locator(`[data-testid="invoice-row"][data-invoice-id="${id}"]`);
  await expect(row).toContainText(A1.truth.number);
  await expect(row.getByTestId("invoice-total")).toHaveText("1 057,80 zł");

  // The engine, the wasm core and the language data came from our server; nothing from elsewhere.
  expect(urls.some((u) => u.startsWith(`${baseURL}/ocr/lang/pol.traineddata.gz`))).toBe(true);
  expect(urls.some((u) => /\/ocr\/tesseract-core-[a-z-]*lstm\.wasm\.js$/.test(u))).toBe(true);
  expect(foreign(urls, baseURL!)).toEqual([]);
});

test("paid before processed is refused with a clear message, also from a page that missed the change", async ({ page }) => {
  const api = await apiAs(DISPATCHER);
  const form = new FormData();
  form.append("file", new Blob([readFileSync(d1Png)], { type: "image/png" }), "faktura-d1.png");
  form.append("invoiceNumber", D1.truth.number);
  form.append("issueDate", D1.truth.issueDate);
  form.append("sellerName", "Serwis Klimatyzacji Pingwin Sp. z o.o.");
  form.append("sellerNip", D1.truth.sellerNip);
  form.append("totalAmount", "738");
  const invoice = await api.collection("invoices").create(form);

  // Through the API: refused, naming the status field.
  const refused = await api.collection("invoices").update(invoice.id, { status: "paid" }).then(() => null, (err: { status: number; response: { data: Record<string, { code: string }> } }) => err);
  expect(refused?.status).toBe(400);
  expect(refused?.response.data.status.code).toBe("invalid_transition");

  await api.collection("invoices").update(invoice.id, { status: "processed" });
  // The page opens processed, then misses the live update (no realtime connection) while another
  // dispatcher moves the invoice back to checking.
  await page.route("**/api/realtime**", (route) => route.abort("internetdisconnected"));
  await loginAs(page, DISPATCHER);
  await page.goto(`/invoices/${invoice.id}`);
  await expect(page.getByTestId("invoice-status")).toHaveText("przetworzona");
  const other = await apiAs(DISPATCHER2);
  await other.collection("invoices").update(invoice.id, { status: "pending" });

  await page.getByTestId("moves").getByRole("button", { name: "Oznacz jako zapłaconą" }).click();
  await expect(page.getByTestId("move-error")).toHaveText("Najpierw oznacz fakturę jako przetworzoną (pola sprawdzone), dopiero potem jako zapłaconą.");
  expect((await api.collection("invoices").getOne(invoice.id)).status).toBe("pending");
});

test("a PDF uploaded through the API waits for the server's reading; the list and the review follow it live; a failed reading can be retried", async ({ page }) => {
  const api = await apiAs(DISPATCHER);
  const contact = await someContact(api);
  const job = await api.collection("jobs").create({ contactId: contact.id, title: uniqueTitle("Serwis z fakturą"), description: "Faktura od dostawcy", type: "repair" });
  const form = new FormData();
  form.append("jobId", job.id);
  form.append("file", new Blob([new Uint8Array(invoiceTextPdf(A1))], { type: "application/pdf" }), "faktura-a1.pdf");
  const invoice = await api.collection("invoices").create(form);
  // And an old unpaid one, long past its due date.
  const late = new FormData();
  late.append("file", new Blob([readFileSync(d1Png)], { type: "image/png" }), "stara-faktura.png");
  late.append("invoiceNumber", uniqueTitle("FV/2020"));
  late.append("issueDate", "2020-01-02");
  late.append("dueDate", "2020-01-16");
  late.append("totalAmount", "99.5");
  const overdue = await api.collection("invoices").create(late);

  await loginAs(page, DISPATCHER);
  // The job page offers adding an invoice to it: the upload form opens with the job chosen.
  await page.goto(`/jobs/${job.id}`);
  await page.getByRole("link", { name: "Dodaj fakturę" }).click();
  await expect(page.getByTestId("upload-contact")).toContainText(contact.name);
  await expect(page.getByLabel("Zlecenie (opcjonalnie)", { exact: true })).toHaveValue(job.id);
  // The job page lists it, with a link to its review.
  await page.goto(`/jobs/${job.id}`);
  await page.getByTestId("invoices").getByRole("link", { name: "Szczegóły faktury" }).click();
  await expect(page).toHaveURL(pathIs(`/invoices/${invoice.id}`));
  // Changes from now on arrive live.
  await expect(page.getByTestId("live")).toHaveAttribute("data-live", "true");
  await expect(page.getByTestId("ocr-badge")).toHaveText("czeka na odczyt");
  await expect(page.getByTestId("ocr-panel")).toContainText("Plik czeka na odczyt przez serwer");
  await expect(page.getByTestId("invoice-pdf")).toBeAttached();
  await expect(page.getByLabel("Numer faktury", { exact: true })).toHaveValue("");

  // The server's worker (simulated here by the admin API, as the worker writes) takes the file...
  const admin = await adminApi();
  await admin.collection("invoices").update(invoice.id, { ocrStatus: "reading", ocrAttempts: 1 });
  await expect(page.getByTestId("ocr-badge")).toHaveText("odczytywanie");
  await expect(page.getByTestId("ocr-panel")).toContainText("Serwer właśnie odczytuje ten plik");
  // ... and fails: the reason shows, with a way to try again.
  await admin.collection("invoices").update(invoice.id, { ocrStatus: "failed", ocrError: "OCR of a page took longer than 60 s and was stopped" });
  await expect(page.getByTestId("ocr-badge")).toHaveText("błąd odczytu");
  await expect(page.getByTestId("ocr-error")).toHaveText("Powód: OCR of a page took longer than 60 s and was stopped");
  await page.getByRole("button", { name: "Odczytaj ponownie" }).click();
  await expect(page.getByTestId("ocr-badge")).toHaveText("czeka na odczyt");
  expect((await api.collection("invoices").getOne<InvoiceRow>(invoice.id)).ocrStatus).toBe("waiting");

  // A person starts on the number meanwhile; the worker's reading fills the rest, live.
  await page.getByLabel("Numer faktury", { exact: true }).fill("FV/2026/11/0147-K");
  const { reading, columns } = workerReading(A1);
  await admin.collection("invoices").update(invoice.id, { ...columns, invoiceNumber: A1.truth.number, ocrStatus: "done", ocrData: reading, ocrReadAt: new Date().toISOString() });
  await expect(page.getByTestId("ocr-badge")).toHaveText("odczytano");
  await expect(page.getByLabel("NIP sprzedawcy", { exact: true })).toHaveValue(A1.truth.sellerNip);
  await expect(page.getByLabel("Do zapłaty", { exact: true })).toHaveValue("1057,80");
  await expect(page.getByLabel("Numer faktury", { exact: true })).toHaveValue("FV/2026/11/0147-K");
  await expect(page.getByTestId("ocr-panel")).toContainText("przez serwer");

  // The list shows the state of each reading. (Its tab counts are read once, then once per change:
  // never in a loop.)
  let countRequests = 0;
  page.on("request", (r) => {
    if (r.url().includes("perPage=1&")) countRequests++;
  });
  await page.goto("/invoices");
  const row = page.locator(`[data-testid="invoice-row"][data-invoice-id="${invoice.id}"]`);
  await expect(row.getByTestId("ocr-badge")).toHaveText("odczytano");
  await expect(page.getByTestId("live")).toHaveAttribute("data-live", "true");
  await expect(row.getByTestId("invoice-due")).toHaveAttribute("data-overdue", "false");
  await admin.collection("invoices").update(invoice.id, { ocrStatus: "waiting" });
  await expect(row.getByTestId("ocr-badge")).toHaveText("czeka na odczyt");
  // Unpaid past its due date: marked.
  const lateRow = page.locator(`[data-testid="invoice-row"][data-invoice-id="${overdue.id}"]`);
  await expect(lateRow.getByTestId("invoice-due")).toHaveText("16.01.2020 · po terminie");
  await expect(lateRow.getByTestId("invoice-due")).toHaveAttribute("data-overdue", "true");
  await expect(lateRow.getByTestId("invoice-total")).toHaveText("99,50 zł");
  await expect(page.getByTestId("tab-count-pending")).toBeVisible();
  expect(countRequests).toBeLessThanOrEqual(6);
});

test("the reading's doubts are shown: a misread NIP is flagged in Polish and its column left for the person", async ({ page }) => {
  const api = await apiAs(DISPATCHER);
  // The worker read the seller's NIP with a wrong last digit (as OCR sometimes does).
  const text = docText(A1).replace("526-104-08-28", "526-104-08-29");
  const parsed = fieldsFromText(text, null, "invoice");
  const reading = storedReading({ kind: "invoice", source: "pdf-text", pages: 1, fields: parsed.fields, review: parsed.review, ocrConfidence: null, text }, "worker", new Date());
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(invoiceTextPdf(A1))], { type: "application/pdf" }), "faktura-zly-nip.pdf");
  const invoice = await api.collection("invoices").create(form);
  const admin = await adminApi();
  await admin.collection("invoices").update(invoice.id, { ...uploadColumns(reading.fields), ocrStatus: "done", ocrData: reading });

  await loginAs(page, DISPATCHER);
  await page.goto(`/invoices/${invoice.id}`);
  const flag = page.locator('[data-testid="review-flag"][data-code="nip_checksum"]');
  await expect(flag).toHaveText("NIP sprzedawcy: odczytany NIP nie przechodzi sumy kontrolnej — prawdopodobnie źle odczytany.");
  await expect(page.getByLabel("NIP sprzedawcy", { exact: true })).toHaveValue("");
  await expect(page.getByLabel("NIP sprzedawcy", { exact: true })).toHaveAttribute("data-flagged", "true");
  await expect(page.getByTestId("read-sellerNip")).toContainText("Odczytano: 5261040829");
  await expect(page.getByTestId("read-sellerNip")).toHaveAttribute("data-low", "true");
  // What "processed" still needs is said before anything is sent.
  await expect(page.getByTestId("missing")).toHaveCount(0);
  await page.getByLabel("Numer faktury", { exact: true }).fill("");
  await expect(page.getByTestId("missing")).toContainText("Numer faktury: Podaj numer faktury.");
  let sent = 0;
  page.on("request", (r) => {
    if (r.method() === "PATCH") sent++;
  });
  await page.getByTestId("moves").getByRole("button", { name: "Oznacz jako przetworzoną" }).click();
  await expect(page.getByTestId("err-invoiceNumber")).toHaveText("Podaj numer faktury.");
  await expect(page.getByTestId("move-error")).toContainText("Aby oznaczyć fakturę jako przetworzoną, uzupełnij: Numer faktury.");
  expect(sent).toBe(0);
  await expect(page.getByTestId("invoice-status")).toHaveText("do sprawdzenia");

  // English on request.
  await page.getByRole("button", { name: "English" }).click();
  await expect(flag).toHaveText("Seller's NIP: the NIP read fails the checksum — probably misread.");
  await page.getByRole("button", { name: "Polski" }).click();
});

test("a KSeF e-invoice is read exactly in the browser, without OCR", async ({ page, context }) => {
  const urls = recordRequests(context);
  await loginAs(page, DISPATCHER);
  await openUpload(page);
  await page.getByLabel("Plik faktury", { exact: true }).setInputFiles(new URL("../fixtures/ksef/fa3-frigo-pol.xml", import.meta.url).pathname);
  await expect(page.getByTestId("upload-plan")).toHaveAttribute("data-plan", "ksef");
  await expect(page.getByTestId("ocr-note")).toHaveAttribute("data-state", "read");
  await page.getByRole("button", { name: "Wyślij fakturę" }).click();
  await expect(page).toHaveURL(/\/invoices\/[a-z0-9]{15}$/);
  await expect(page.getByLabel("Numer faktury", { exact: true })).toHaveValue("FS-2026/11/00981");
  await expect(page.getByLabel("NIP sprzedawcy", { exact: true })).toHaveValue("5213012343");
  await expect(page.getByLabel("Do zapłaty", { exact: true })).toHaveValue("2406,87");
  await expect(page.getByTestId("read-invoiceNumber")).toContainText("pewność 100%");
  await expect(page.getByTestId("ocr-panel")).toContainText("e-faktura KSeF, dokładnie");
  // No OCR engine was loaded for it.
  expect(urls.filter((u) => u.includes("/ocr/"))).toEqual([]);
});

test("a manager can undo a payment mark; the invoice is then editable again", async ({ page }) => {
  const api = await apiAs(DISPATCHER);
  const form = new FormData();
  form.append("file", new Blob([readFileSync(d1Png)], { type: "image/png" }), "faktura-zaplacona.png");
  form.append("invoiceNumber", uniqueTitle("FV/2026/12"));
  form.append("issueDate", D1.truth.issueDate);
  form.append("sellerNip", D1.truth.sellerNip);
  form.append("totalAmount", "738");
  const invoice = await api.collection("invoices").create(form);
  await api.collection("invoices").update(invoice.id, { status: "processed" });
  await api.collection("invoices").update(invoice.id, { status: "paid" });

  await loginAs(page, MANAGER);
  await page.goto(`/invoices/${invoice.id}`);
  await expect(page.getByTestId("invoice-status")).toHaveText("zapłacona");
  await expect(page.getByLabel("Numer faktury", { exact: true })).toBeDisabled();
  await page.getByTestId("moves").getByRole("button", { name: "Cofnij zapłatę" }).click();
  await expect(page.getByTestId("invoice-status")).toHaveText("przetworzona");
  await expect(page.getByLabel("Numer faktury", { exact: true })).toBeEnabled();
  const after = await api.collection("invoices").getOne<InvoiceRow>(invoice.id);
  expect(after.status).toBe("processed");
  expect(after.paidAt).toBe("");
});
