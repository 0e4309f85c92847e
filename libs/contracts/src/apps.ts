import { z } from 'zod';

/** DESIGN §5 lifecycle, plus `invalid` for a manifest that is listed with its reasons and never runs. */
export const APP_STATES = ['invalid', 'stopped', 'starting', 'running', 'unhealthy', 'crashed', 'backoff', 'failed', 'stopping'] as const;
export type AppState = (typeof APP_STATES)[number];

/** One managed app as the admin API shows it (`GET /api/apps`, `GET /api/apps/{id}`). */
export interface AppView {
  /** The manifest's id; for an invalid manifest whose id cannot be read, the folder name. */
  id: string;
  name: string;
  version: string | null;
  description: string | null;
  type: 'service' | 'streamlit' | null;
  runtime: 'process' | 'docker' | null;
  /** The folder inside HOMEHELPER_APPS_DIR. */
  folder: string;
  state: AppState;
  /** Why a manifest is refused (state `invalid`); empty otherwise. */
  reasons: string[];
  autoStart: boolean;
  port: number | null;
  /** Where the gateway serves it: `/apps/<id>/`. */
  url: string | null;
  pid: number | null;
  /** When the running process started (ISO 8601). */
  startedAt: string | null;
  uptimeSeconds: number | null;
  /** Last probe result while running; null when not probed yet. */
  healthy: boolean | null;
  /** Restarts done by the supervisor since the app was discovered. */
  restarts: number;
  /** Failures in a row; reset by a run that stays healthy for 60 s. */
  consecutiveFailures: number;
  lastError: string | null;
  /** Milliseconds from spawn to the first passing probe, for the last start. */
  startupMs: number | null;
}

/**
 * Lines of an app's output, oldest first: the answer of `GET /api/apps/{id}/logs`, and each live batch the
 * app-manager publishes on the bus's app-log channel and the gateway emits to subscribed sockets as `app_log`.
 */
export interface AppLogBatch {
  appId: string;
  lines: string[];
}

export const appIdParamSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'expected an app id such as weather-station');

export const appLogsQuerySchema = z
  .object({ tail: z.coerce.number().int('expected a whole number').min(1, 'tail is 1 to 5000').max(5000, 'tail is 1 to 5000').default(200) })
  .strict();
export type AppLogsQuery = z.infer<typeof appLogsQuerySchema>;

/** Payloads of the `apps.*` RPC patterns (the actor travels beside them; every pattern needs an admin). */
export interface AppIdRequest {
  appId: string;
}
export interface AppLogsRequest extends AppIdRequest {
  tail: number;
}
/** `POST /api/apps/discover` answers what the re-scan changed. */
export interface DiscoverResult {
  added: string[];
  changed: string[];
  removed: string[];
  invalid: string[];
}
