import { StatsFs, statfsSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import * as si from 'systeminformation';
import type { DiskUsage, Measured } from '@homehelper/contracts';

export interface MountedDisk {
  mount: string;
  device: string;
  fsType: string;
}

/** File systems in memory or images, not disks. */
const NOT_DISKS = new Set(['tmpfs', 'devtmpfs', 'ramfs', 'squashfs', 'efivarfs', 'overlay-tmp', 'iso9660']);
const LAYOUT_TTL_MS = 10 * 60_000;
/** File systems whose statfs waits on a server or a user-space daemon, which may hang: asked off the main thread. */
const MAY_HANG = /^(nfs4?|cifs|smb3|smbfs|ceph|glusterfs|9p|fuse(\..+)?)$/;

/**
 * Each mounted disk's use. Which disks are mounted comes from systeminformation (it runs `df`) and is kept
 * for ten minutes; each sample then asks the kernel for the figures of those mounts (statfs), without a
 * process. A device mounted in several places (a container's bind mounts) is counted once.
 */
export class Disks {
  private layout: MountedDisk[] | undefined;
  private layoutAt = 0;

  async usage(): Promise<Measured<DiskUsage[]>> {
    let disks: MountedDisk[];
    try {
      disks = await this.mounted();
    } catch (error) {
      return { unavailable: `cannot list mounted file systems: ${(error as Error).message}` };
    }
    const usage = await Promise.all(disks.map(measure));
    // A mount that cannot be measured any more was unmounted: list the mounts again next time.
    if (usage.includes(undefined)) this.layout = undefined;
    return usage.filter((disk): disk is DiskUsage => disk !== undefined);
  }

  private async mounted(): Promise<MountedDisk[]> {
    if (this.layout && Date.now() - this.layoutAt < LAYOUT_TTL_MS) return this.layout;
    const seen = new Set<string>();
    const disks: MountedDisk[] = [];
    for (const fs of await si.fsSize()) {
      if (NOT_DISKS.has(fs.type) || seen.has(fs.fs)) continue;
      seen.add(fs.fs);
      disks.push({ mount: fs.mount, device: fs.fs, fsType: fs.type });
    }
    if (disks.length === 0) throw new Error('df listed no disk');
    this.layout = disks;
    this.layoutAt = Date.now();
    return disks;
  }
}

/**
 * One disk's figures, or undefined when it cannot be measured. A local file system answers statfs from memory
 * at once, so it is asked on the main thread: the thread pool's round trip cost more than the call.
 */
async function measure(disk: MountedDisk): Promise<DiskUsage | undefined> {
  try {
    return usageOf(disk, MAY_HANG.test(disk.fsType) ? await statfs(disk.mount) : statfsSync(disk.mount));
  } catch {
    return undefined;
  }
}

function usageOf(disk: MountedDisk, stats: StatsFs): DiskUsage {
  const totalBytes = stats.blocks * stats.bsize;
  const usedBytes = (stats.blocks - stats.bfree) * stats.bsize;
  const availableBytes = stats.bavail * stats.bsize;
  // As df counts it: blocks reserved for root are neither used nor available to others.
  const usedPercent = usedBytes + availableBytes > 0 ? Math.round((1000 * usedBytes) / (usedBytes + availableBytes)) / 10 : 0;
  return { ...disk, totalBytes, usedBytes, availableBytes, usedPercent };
}
