import type { NetworkRates } from '@homehelper/contracts';

export type NetworkCounters = Map<string, { rxBytes: number; txBytes: number }>;

/** Byte counters per interface from /proc/net/dev (two header lines, then `iface: rx_bytes … tx_bytes …`). */
export function parseNetworkCounters(netDev: string): NetworkCounters {
  const counters: NetworkCounters = new Map();
  for (const line of netDev.split('\n').slice(2)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const fields = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    // Loopback is the machine talking to itself: no traffic on any network.
    if (name === 'lo' || fields.length < 16) continue;
    counters.set(name, { rxBytes: fields[0], txBytes: fields[8] });
  }
  return counters;
}

/**
 * Bytes per second on each interface present in both readings. A counter that went down (interface
 * re-created, 32-bit wrap) gives no rate for that interval rather than a negative or made-up one.
 */
export function networkRatesBetween(previous: NetworkCounters, next: NetworkCounters, seconds: number): NetworkRates[] {
  const rates: NetworkRates[] = [];
  for (const [name, now] of next) {
    const before = previous.get(name);
    if (!before || now.rxBytes < before.rxBytes || now.txBytes < before.txBytes || seconds <= 0) continue;
    rates.push({
      interface: name,
      rxBytesPerSecond: Math.round((now.rxBytes - before.rxBytes) / seconds),
      txBytesPerSecond: Math.round((now.txBytes - before.txBytes) / seconds),
    });
  }
  return rates;
}
