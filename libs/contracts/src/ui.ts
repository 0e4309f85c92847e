import type { AppState } from './apps';

/** One on-demand UI app (`type: "streamlit"`) as `GET /api/ui` and `POST /api/ui/{id}/open` show it. */
export interface UiAppView {
  id: string;
  name: string;
  state: Exclude<AppState, 'invalid'>;
  port: number | null;
  /** Where the gateway serves it: `/apps/<id>/`. */
  url: string;
  /** Last proxied request or WebSocket frame (ISO 8601), or null when it never ran. */
  lastActivityAt: string | null;
  /** Seconds until it stops for lack of traffic; null when it is not running. */
  secondsToExpiry: number | null;
  ttlSeconds: number;
  startupMs: number | null;
  lastError: string | null;
}

/**
 * The Redis hash where the ui-manager keeps each UI app's supervision snapshot (its process, to adopt it after
 * a restart), by app id. The system-monitor reads it for the UI apps' processes.
 */
export function uiSnapshotsKey(instance: string): string {
  return `${instance}:ui:snapshots`;
}

/** Payload of `ui.app.touch`: the gateway reports, about once a second, which UI apps had traffic. */
export interface UiTouchRequest {
  appIds: string[];
}

/**
 * Where the gateway's proxy sends `/apps/<id>/…` (`apps.route.get`, any logged-in user): the app's type, and
 * its port while it runs. A UI app that is not running is woken with `ui.app.open`.
 */
export interface AppRoute {
  appId: string;
  type: 'service' | 'streamlit';
  port: number | null;
  running: boolean;
}
