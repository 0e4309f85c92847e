import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@homehelper/config';
import { AppManifest, DiscoveredApp, isValid, scanAppsDir } from '@homehelper/runtime';

export interface UiAppEntry {
  manifest: AppManifest;
  folder: string;
}

/**
 * The UI apps (`type: "streamlit"`) under the apps folder. The app-manager owns discovery and its registry;
 * the ui-manager reads the same folder with the same scanner, rescanning when asked about an id it does not
 * know, so a new app can be opened at once.
 */
@Injectable()
export class UiCatalog {
  private apps = new Map<string, UiAppEntry>();

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  all(): UiAppEntry[] {
    this.rescan();
    return [...this.apps.values()];
  }

  find(appId: string): UiAppEntry | undefined {
    if (!this.apps.has(appId)) this.rescan();
    return this.apps.get(appId);
  }

  private rescan(): void {
    let scanned: DiscoveredApp[];
    try {
      scanned = scanAppsDir(this.config.appsDir);
    } catch {
      scanned = [];
    }
    this.apps = new Map(
      scanned
        .filter(isValid)
        .filter((app) => app.result.manifest.type === 'streamlit')
        .map((app) => [app.result.manifest.id, { manifest: app.result.manifest, folder: app.path }]),
    );
  }
}
