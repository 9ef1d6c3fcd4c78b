// Pure domain logic shared by hooks, dashboard, CLI and tests. No PocketBase globals here.
export * from "./types";
export * from "./districts";
export * from "./text";
export * from "./time";
export * from "./priority";
export * from "./lifecycle";
export * from "./nip";
export * from "./contacts";
export * from "./geo";
export * from "./alerts";
export * from "./validation";
export * from "./money";
export * from "./nrb";
export * from "./invoice";
export * from "./xml";
export * from "./ksef";
export * from "./fgas";
