import { setTimeout as sleep } from 'node:timers/promises';
import type { AppConfig } from '@homehelper/config';
import { AppManifest, isPortBusy, PortLeases, portOwner } from '@homehelper/runtime';

/** A port that was just freed (our own app's last run) may stay bound for a moment. */
const FREED_PORT_WAIT_MS = 200;

/**
 * Ports for apps: the app's stable lease, unless some other process now holds that port. Then the lease
 * moves to a free port and the conflict is reported with the process that holds it.
 */
export class AppPorts {
  constructor(
    private readonly leases: PortLeases,
    private readonly config: AppConfig,
    private readonly warn: (message: string) => void,
  ) {}

  async leaseFor(manifest: AppManifest): Promise<number> {
    const request = {
      range: manifest.type === 'streamlit' ? this.config.uiPortRange : this.config.servicePortRange,
      rangeName: manifest.type,
      preferred: manifest.port,
    };
    let lease = await this.leases.leaseFor(manifest.id, request);
    if (lease.reused && (await isPortBusy(lease.port))) {
      await sleep(FREED_PORT_WAIT_MS);
      if (await isPortBusy(lease.port)) {
        const owner = await portOwner(lease.port);
        this.warn(`App ${manifest.id}: its port ${lease.port} is held by ${owner ? `pid ${owner.pid} (${owner.command})` : 'another process'}; leasing another port`);
        await this.leases.release(manifest.id);
        lease = await this.leases.leaseFor(manifest.id, request);
      }
    }
    for (const { port, owner } of lease.skipped) {
      this.warn(`App ${manifest.id}: port ${port} skipped, held by ${owner ? `pid ${owner.pid} (${owner.command})` : 'another process'}`);
    }
    return lease.port;
  }

  release(appId: string): Promise<number | null> {
    return this.leases.release(appId);
  }
}
