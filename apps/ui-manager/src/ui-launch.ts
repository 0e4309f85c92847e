import type { AppManifest } from '@homehelper/runtime';

/** Streamlit serves its health check under its base path. */
export const streamlitHealthPath = (appId: string) => `/apps/${appId}/_stcore/health`;

/**
 * The argv of a UI app on `port`: the manifest's own `command` when it gives one (any web UI can be managed
 * this way; it reads PORT and serves under /apps/<id>/), otherwise Streamlit on its entry script, bound to
 * 127.0.0.1 and served under the gateway's path for it.
 */
export function uiCommand(manifest: AppManifest): (port: number) => readonly string[] {
  if (manifest.command) {
    const command = manifest.command;
    return () => command;
  }
  return (port) => [
    'streamlit',
    'run',
    manifest.entry as string,
    '--server.port',
    String(port),
    '--server.address',
    '127.0.0.1',
    '--server.headless',
    'true',
    '--server.baseUrlPath',
    `apps/${manifest.id}`,
  ];
}

/** The manifest as the supervisor uses it: a Streamlit app without its own probe is probed on Streamlit's health path. */
export function uiManifest(manifest: AppManifest): AppManifest {
  if (manifest.command || manifest.health.path) return manifest;
  return { ...manifest, health: { ...manifest.health, path: streamlitHealthPath(manifest.id), tcp: false } };
}
