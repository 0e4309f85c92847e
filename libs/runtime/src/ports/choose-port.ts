// Port choice without I/O: which port an app gets, given what is leased and what is busy on the machine.

/** An inclusive range of TCP ports, e.g. 8100-8199 for service apps (DESIGN §5). */
export interface PortRange {
  from: number;
  to: number;
}

export interface ChoosePortInput {
  range: PortRange;
  /** The manifest's preference; used when it is inside the range and free. */
  preferred?: number;
  /** Ports leased to other apps. */
  taken: ReadonlySet<number>;
  /** Ports some process on the machine already holds. */
  busy: ReadonlySet<number>;
}

export function isInRange(port: number, range: PortRange): boolean {
  return Number.isInteger(port) && port >= range.from && port <= range.to;
}

export function rangeSize(range: PortRange): number {
  return Math.max(0, range.to - range.from + 1);
}

/** The preferred port when it is in range and free, otherwise the lowest free port; null when the range is full. */
export function choosePort({ range, preferred, taken, busy }: ChoosePortInput): number | null {
  const free = (port: number) => !taken.has(port) && !busy.has(port);
  if (preferred !== undefined && isInRange(preferred, range) && free(preferred)) return preferred;
  for (let port = range.from; port <= range.to; port += 1) {
    if (free(port)) return port;
  }
  return null;
}
