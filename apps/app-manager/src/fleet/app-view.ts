import type { AppView } from '@homehelper/contracts';
import type { AppManifest, DiscoveredApp, SupervisorSnapshot } from '@homehelper/runtime';

export const appUrl = (appId: string) => `/apps/${appId}/`;

/** A supervised app as the admin API shows it. */
export function supervisedAppView(manifest: AppManifest, folder: string, snapshot: SupervisorSnapshot, now = Date.now()): AppView {
  const startedAt = snapshot.startedAt;
  return {
    id: manifest.id,
    name: manifest.name,
    version: manifest.version,
    description: manifest.description ?? null,
    type: manifest.type,
    runtime: manifest.runtime,
    folder,
    state: snapshot.state,
    reasons: [],
    autoStart: manifest.autoStart,
    port: snapshot.port,
    url: appUrl(manifest.id),
    pid: snapshot.pid,
    startedAt: startedAt ? startedAt.toISOString() : null,
    uptimeSeconds: startedAt ? Math.max(0, Math.floor((now - startedAt.getTime()) / 1000)) : null,
    healthy: snapshot.healthy,
    restarts: snapshot.restarts,
    consecutiveFailures: snapshot.consecutiveFailures,
    lastError: snapshot.lastError,
    startupMs: snapshot.startupMs,
  };
}

/** A folder whose manifest is refused: listed with its reasons, never started. */
export function invalidAppView(app: DiscoveredApp): AppView {
  return {
    id: app.folder,
    name: app.folder,
    version: null,
    description: null,
    type: null,
    runtime: null,
    folder: app.folder,
    state: 'invalid',
    reasons: app.result.ok ? [] : app.result.reasons,
    autoStart: false,
    port: null,
    url: null,
    pid: null,
    startedAt: null,
    uptimeSeconds: null,
    healthy: null,
    restarts: 0,
    consecutiveFailures: 0,
    lastError: null,
    startupMs: null,
  };
}
