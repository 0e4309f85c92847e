import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ManifestResult, readManifest } from '../manifest';

export interface DiscoveredApp {
  /** The folder's name inside the apps folder. */
  folder: string;
  /** Its absolute path, where the app runs. */
  path: string;
  result: ManifestResult;
  /**
   * sha256 of the folder name and the manifest file's bytes, when they could be read: what the registry keeps
   * to tell a changed app. The folder is in it so an app moved to another folder is restarted where it now lives.
   */
  fingerprint?: string;
}

/**
 * Every direct subfolder of `appsDir` that holds a `homehelper.json`, sorted by folder name, each with its
 * validated manifest or the reasons it is refused. Dot-folders and folders without a manifest are skipped; a
 * symlink to a folder counts as a folder (its real path is then the app's folder for the path rule). An id
 * claimed by two or more valid manifests is refused in every one of them, so the outcome never depends on
 * the order folders are listed in. Synchronous and bounded by the manifest size cap; throws if `appsDir`
 * itself cannot be read.
 */
export function scanAppsDir(appsDir: string): DiscoveredApp[] {
  const apps: DiscoveredApp[] = [];
  for (const folder of fs.readdirSync(appsDir).sort()) {
    if (folder.startsWith('.')) continue;
    const folderPath = path.join(appsDir, folder);
    if (!isDirectory(folderPath)) continue;
    const file = readManifest(folderPath);
    if (file === undefined) continue;
    const fingerprint = file.sha256 === undefined ? undefined : createHash('sha256').update(`${folder}\0${file.sha256}`).digest('hex');
    apps.push({ folder, path: folderPath, result: file.result, ...(fingerprint === undefined ? {} : { fingerprint }) });
  }
  return refuseDuplicateIds(apps);
}

function isDirectory(candidate: string): boolean {
  try {
    return fs.statSync(candidate).isDirectory();
  } catch {
    return false;
  }
}

function refuseDuplicateIds(apps: DiscoveredApp[]): DiscoveredApp[] {
  const foldersById = new Map<string, string[]>();
  for (const app of apps) {
    if (!app.result.ok) continue;
    const folders = foldersById.get(app.result.manifest.id) ?? [];
    foldersById.set(app.result.manifest.id, [...folders, app.folder]);
  }
  return apps.map((app) => {
    if (!app.result.ok) return app;
    const id = app.result.manifest.id;
    const others = (foldersById.get(id) ?? []).filter((folder) => folder !== app.folder);
    if (others.length === 0) return app;
    const reason = `id ${id} is also claimed by folder${others.length > 1 ? 's' : ''} ${others.join(', ')}`;
    return { ...app, result: { ok: false, reasons: [reason] } };
  });
}
