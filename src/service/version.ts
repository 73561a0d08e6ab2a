/**
 * The service version each daemon writes in its `services` row (upstream's SERVICE_VERSION):
 * bumped when RPC or object compatibility changes, so mixed-version deployments can tell.
 */
export const SERVICE_VERSION = 1;

/** Notes per service version: add entries, never edit old ones. */
export const SERVICE_VERSION_HISTORY: readonly { readonly version: number; readonly note: string }[] = [
  { version: 1, note: 'nova-ts platform: services, heartbeats, baseapi ping' },
];
