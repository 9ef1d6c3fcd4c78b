// A single-page app: PocketBase serves index.html for every path; nothing is rendered on a server.
export const ssr = false;
export const prerender = false;
