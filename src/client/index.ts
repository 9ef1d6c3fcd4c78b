// The typed layer over the official PocketBase JS SDK (pocketbase@0.21.5, which speaks to
// PocketBase 0.22). Used by the dashboard, the CLI, the seeder and the tests.
import PocketBase, { ClientResponseError, type RecordService, type RecordSubscription, type UnsubscribeFunc } from "pocketbase";
import { failureCode, type FailureCode } from "../domain/failure";
import type {
  ContactRecord, EmergencyAlertData, EquipmentPhotoRecord, InvoiceRecord, JobRecord, RealtimeEventRecord,
  TimedLocation, UserRecord,
} from "../domain/types";

/** Every collection of the product and the record type it holds. */
export interface Collections {
  users: UserRecord;
  contacts: ContactRecord;
  jobs: JobRecord;
  equipment_photos: EquipmentPhotoRecord;
  invoices: InvoiceRecord;
  realtime_events: RealtimeEventRecord;
}

export type CollectionName = keyof Collections;

export const COLLECTIONS: readonly CollectionName[] = [
  "users", "contacts", "jobs", "equipment_photos", "invoices", "realtime_events",
];

export interface HvacClient extends PocketBase {
  collection<K extends CollectionName>(name: K): RecordService<Collections[K]>;
  collection(idOrName: string): RecordService;
}

/** A PocketBase client typed with our collections. Auto-cancellation is off: the dashboard runs
 * parallel requests to the same collection (board + counters) and must not cancel its own calls. */
export function createClient(url: string): HvacClient {
  const pb = new PocketBase(url) as HvacClient;
  pb.autoCancellation(false);
  serializeRealtimeSubmissions(pb);
  return pb;
}

/**
 * Sends the realtime subscription list one request at a time. The SDK posts the whole list to
 * /api/realtime on every subscribe and unsubscribe; two pages or panels subscribing at once send
 * two posts, and without auto-cancellation they may reach the server in the other order, so the
 * older list wins there while both subscribe() calls resolved: the page says "live" and never
 * hears of changes. Chained, each post reads the list when it is sent, so the last one is always
 * the current list.
 */
export function serializeRealtimeSubmissions(pb: PocketBase): void {
  const realtime = pb.realtime as unknown as { submitSubscriptions: () => Promise<void> | undefined };
  const original = realtime.submitSubscriptions.bind(realtime);
  const submit = () => Promise.resolve(original());
  /** The post in flight (and those queued behind it), or null when none is. */
  let busy: Promise<void> | null = null;
  realtime.submitSubscriptions = () => {
    const run = busy ? busy.then(submit) : submit();
    const settled: Promise<void> = run.then(() => {}, () => {});
    busy = settled;
    void settled.then(() => {
      if (busy === settled) busy = null;
    });
    return run;
  };
}

/** How much of an upload has gone, in bytes. */
export interface UploadProgress {
  loaded: number;
  total: number;
}

/** The part of XMLHttpRequest an upload uses (a fake one in tests). */
export interface UploadRequest {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  send(body: FormData): void;
  upload: { onprogress: ((e: { loaded: number; total: number; lengthComputable: boolean }) => void) | null };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
  status: number;
  responseText: string;
}

/**
 * Creates a record with files and reports how much has been sent: a photo from a phone in a
 * basement can take a minute, and fetch() (the SDK's transport) cannot tell upload progress, so
 * this goes through XMLHttpRequest. Failures throw the SDK's ClientResponseError, like the SDK.
 */
export function createWithProgress<T>(
  pb: PocketBase,
  collection: string,
  body: FormData,
  onProgress: (p: UploadProgress) => void,
  request: () => UploadRequest = () => new XMLHttpRequest() as unknown as UploadRequest,
): Promise<T> {
  const url = pb.buildUrl(`/api/collections/${encodeURIComponent(collection)}/records`);
  return new Promise<T>((resolve, reject) => {
    const xhr = request();
    xhr.open("POST", url);
    if (pb.authStore.token) xhr.setRequestHeader("Authorization", pb.authStore.token);
    xhr.setRequestHeader("Accept-Language", pb.lang);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress({ loaded: e.loaded, total: e.total });
    };
    const fail = (status: number, response: unknown, isAbort = false) =>
      reject(new ClientResponseError({ url, status, response, isAbort }));
    xhr.onload = () => {
      let data: unknown = {};
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : {};
      } catch {
        data = {};
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data as T);
      else fail(xhr.status, data && typeof data === "object" ? data : {});
    };
    xhr.onerror = () => fail(0, {});
    xhr.onabort = () => fail(0, {}, true);
    xhr.send(body);
  });
}

/** Live job changes (create, update, delete) the signed-in user is allowed to see. */
export function subscribeToJobUpdates(
  pb: HvacClient,
  callback: (e: RecordSubscription<JobRecord>) => void,
  options?: { expand?: string },
): Promise<UnsubscribeFunc> {
  return pb.collection("jobs").subscribe<JobRecord>("*", callback, options);
}

export interface EmergencyAlert {
  event: RealtimeEventRecord;
  data: EmergencyAlertData;
}

/** Reads the `data` of an alert event whether the SDK delivered it parsed or as JSON text. */
export function parseEventData<T>(event: Pick<RealtimeEventRecord, "data">): T | null {
  const raw = event.data as unknown;
  if (raw && typeof raw === "object") return raw as T;
  if (typeof raw !== "string" || raw === "") return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}

/**
 * New emergency alerts, optionally only for one district (null = every district the user may see).
 * The server's rules already limit what arrives; the district filter narrows it further.
 */
export function subscribeToEmergencyAlerts(
  pb: HvacClient,
  district: string | null,
  callback: (alert: EmergencyAlert) => void,
): Promise<UnsubscribeFunc> {
  return pb.collection("realtime_events").subscribe<RealtimeEventRecord>("*", (e) => {
    if (e.action !== "create" || e.record.type !== "emergency_alert") return;
    if (district && e.record.district !== district) return;
    const data = parseEventData<EmergencyAlertData>(e.record);
    if (data) callback({ event: e.record, data });
  });
}

/** Unacknowledged alerts, newest first. */
export function listOpenAlerts(pb: HvacClient, district?: string): Promise<RealtimeEventRecord[]> {
  const filter = district
    ? pb.filter("type = 'emergency_alert' && processed = false && district = {:district}", { district })
    : "type = 'emergency_alert' && processed = false";
  return pb.collection("realtime_events").getFullList({ filter, sort: "-created" });
}

export function acknowledgeAlert(pb: HvacClient, eventId: string): Promise<RealtimeEventRecord> {
  return pb.collection("realtime_events").update(eventId, { processed: true });
}

export interface LocationFix {
  lat: number;
  lng: number;
  /** metres */
  accuracy?: number;
}

/** Posts the signed-in technician's position: updates users.lastLocation and notifies dispatchers. */
export function updateLocation(pb: HvacClient, fix: LocationFix): Promise<{ eventId: string; lastLocation: TimedLocation }> {
  return pb.send("/api/hvac/location", { method: "POST", body: fix });
}

/**
 * One error shape for every UI: the status, a language-neutral code the UI words in its own
 * language (src/domain/failure.ts), the server's own sentence (English: a detail for logs and the
 * CLI, not for the dashboard's users) and the server's per-field messages.
 */
export interface ApiFailure {
  status: number;
  code: FailureCode;
  message: string;
  fields: Record<string, string>;
}

export function describeError(err: unknown): ApiFailure {
  if (err instanceof ClientResponseError) {
    const data = (err.response?.data ?? {}) as Record<string, { message?: string }>;
    const fields: Record<string, string> = {};
    for (const [k, v] of Object.entries(data)) if (v && typeof v === "object" && v.message) fields[k] = v.message;
    // Status 0: no answer at all; the SDK's own sentence is generic, the cause (e.g. "Failed to fetch") tells more.
    const cause = err.originalError instanceof Error ? err.originalError.message : "";
    const message = err.status === 0
      ? cause || err.message
      : (err.response?.message as string | undefined) || err.message;
    return { status: err.status, code: failureCode(err.status), message, fields };
  }
  // Not a request that failed (a bug, a browser API): no status to go by.
  return { status: 0, code: "unknown", message: err instanceof Error ? err.message : String(err), fields: {} };
}

export { ClientResponseError };
