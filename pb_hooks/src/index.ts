// The hooks bundle (pb_hooks/lib/hvac.js). Every export is a handler that pb_hooks/src/entry.ts
// registers; handlers hold no state between calls.
export { contactsAfterWrite, contactsBeforeCreate, contactsBeforeUpdate } from "./contacts";
export { usersBeforeCreate, usersBeforeDelete, usersBeforeUpdate } from "./users";
export {
  jobsBeforeCreate, jobsBeforeUpdate, jobsModelAfterCreate, jobsModelBeforeUpdate, escalateOverdueJobs,
} from "./jobs";
export { eventsBeforeCreate, eventsBeforeUpdate, postLocation, pruneLocationEvents } from "./events";
export { runMaintenance } from "./maintenance";
export { filesBeforeCreate, filesBeforeUpdate } from "./files";
export { ocrClaim, ocrFinish } from "./ocr";
export { guardListQuery, guardSubscriptions } from "./guards";
export { getConfig } from "./config";
export {
  equipmentAfterContactUpdate, equipmentBeforeCreate, equipmentBeforeUpdate, equipmentModelBeforeSave, recordInspection,
} from "./equipment";
export { flushSearchIndex, getSearch } from "./search";
export { drainFromCron, getSyncStatus, postSyncBackfill, postSyncDrain, postSyncRetry, syncBootstrap } from "./sync";
