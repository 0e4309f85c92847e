import { DataSource, QueryFailedError } from 'typeorm';
import type { ErrorCode } from '@homehelper/contracts';
import { choosePort, isInRange, PortRange, rangeSize } from './choose-port';
import { isPortBusy, PortOwner, portOwner } from './port-probe';

/** One row of port_leases (DESIGN §4). */
export interface PortLease {
  port: number;
  appId: string;
  rangeName: string;
  leasedAt: Date;
}

/** A port passed over because another process on the machine holds it; `owner` is null when /proc does not tell. */
export interface SkippedPort {
  port: number;
  owner: PortOwner | null;
}

export interface LeaseRequest {
  range: PortRange;
  /** Which range this is, e.g. 'service' or 'streamlit'; stored with the lease. */
  rangeName: string;
  /** The manifest's `port`, used when it is in the range and free. */
  preferred?: number;
}

export interface LeaseResult extends PortLease {
  /** True when the app already held this lease (a restart or a manager restart), false for a new lease. */
  reused: boolean;
  /** Ports skipped because another process held them, so the manager can name it. */
  skipped: SkippedPort[];
}

/** Every port of the range is leased or held by some process. */
export class PortRangeExhaustedError extends Error {
  readonly code: ErrorCode = 'unavailable';

  constructor(
    readonly appId: string,
    readonly rangeName: string,
    readonly range: PortRange,
    readonly skipped: SkippedPort[],
  ) {
    const held = skipped.map(({ port, owner }) => (owner ? `${port} (pid ${owner.pid}: ${owner.command})` : `${port}`));
    super(
      `No free port for app '${appId}' in range '${rangeName}' (${range.from}-${range.to}): every port is leased` +
        (held.length > 0 ? ` or held by another process: ${held.join(', ')}` : ''),
    );
    this.name = 'PortRangeExhaustedError';
  }
}

interface LeaseRow {
  port: number;
  app_id: string;
  range_name: string;
  leased_at: Date;
}

const COLUMNS = 'port, app_id, range_name, leased_at';
const RECHECK_DELAY_MS = 25;

function toLease(row: LeaseRow): PortLease {
  return { port: row.port, appId: row.app_id, rangeName: row.range_name, leasedAt: row.leased_at };
}

/** The constraint a unique violation hit, or undefined for any other error. */
function violatedConstraint(error: unknown): string | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === '23505' ? (driverError.constraint ?? '') : undefined;
}

/**
 * Stable ports for managed apps, leased in Postgres. The table's primary key (port) and unique app_id make the
 * database the referee between managers: the loser of a race gets a unique violation and moves on.
 */
export class PortLeases {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The app's port: its existing lease when it has one in this range (so it survives restarts and manager
   * restarts, even if its manifest's preference changed), otherwise a new lease on the preferred or lowest port
   * that is neither leased nor busy on the machine. A lease in another range (the app changed type) is replaced.
   */
  async leaseFor(appId: string, { range, rangeName, preferred }: LeaseRequest): Promise<LeaseResult> {
    if (!isInRange(range.from, { from: 1, to: 65535 }) || !isInRange(range.to, { from: range.from, to: 65535 })) {
      throw new RangeError(`Invalid port range ${range.from}-${range.to}`);
    }
    const existing = await this.find(appId);
    if (existing && isInRange(existing.port, range)) return { ...existing, reused: true, skipped: [] };
    if (existing) await this.release(appId);

    const taken = await this.leasedPorts(range);
    const busy = new Set<number>();
    const skipped: SkippedPort[] = [];
    // Every turn removes one candidate (leased by a rival or busy), so this ends within the range's size;
    // the bound only guards against a bug turning it into a spin.
    for (let turn = 0; turn <= rangeSize(range); turn += 1) {
      const port = choosePort({ range, preferred, taken, busy });
      if (port === null) throw new PortRangeExhaustedError(appId, rangeName, range, skipped);
      const held = await this.heldByAnotherProcess(port);
      if (held) {
        busy.add(port);
        skipped.push(held);
        continue;
      }
      try {
        const [row] = (await this.dataSource.query(
          `INSERT INTO port_leases (port, app_id, range_name) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`,
          [port, appId, rangeName],
        )) as LeaseRow[];
        return { ...toLease(row), reused: false, skipped };
      } catch (error) {
        const constraint = violatedConstraint(error);
        if (constraint === undefined) throw error;
        if (constraint === 'port_leases_app_id_key') {
          // Another manager leased for this very app meanwhile: its lease is the app's lease.
          const winner = await this.find(appId);
          if (winner) return { ...winner, reused: true, skipped };
        }
        // Another manager won this port: catch up with everything leased since we looked, and try the next one.
        taken.add(port);
        for (const leased of await this.leasedPorts(range)) taken.add(leased);
      }
    }
    throw new PortRangeExhaustedError(appId, rangeName, range, skipped);
  }

  /** Frees the app's port (when it is removed); returns the port it held, or null when it had none. */
  async release(appId: string): Promise<number | null> {
    // Through a CTE so the driver answers with plain rows, as for a SELECT.
    const rows = (await this.dataSource.query(
      `WITH released AS (DELETE FROM port_leases WHERE app_id = $1 RETURNING port) SELECT port FROM released`,
      [appId],
    )) as { port: number }[];
    return rows[0]?.port ?? null;
  }

  /** Every lease, by port. */
  async leases(): Promise<PortLease[]> {
    const rows = (await this.dataSource.query(`SELECT ${COLUMNS} FROM port_leases ORDER BY port`)) as LeaseRow[];
    return rows.map(toLease);
  }

  async find(appId: string): Promise<PortLease | null> {
    const rows = (await this.dataSource.query(`SELECT ${COLUMNS} FROM port_leases WHERE app_id = $1`, [appId])) as LeaseRow[];
    return rows.length > 0 ? toLease(rows[0]) : null;
  }

  private async leasedPorts(range: PortRange): Promise<Set<number>> {
    const rows = (await this.dataSource.query(`SELECT port FROM port_leases WHERE port BETWEEN $1 AND $2`, [range.from, range.to])) as {
      port: number;
    }[];
    return new Set(rows.map((row) => row.port));
  }

  /**
   * The port and its owner when some process holds it. A port found busy is probed once more before it is
   * skipped: what held it may have been another manager's momentary probe socket rather than a server.
   */
  private async heldByAnotherProcess(port: number): Promise<SkippedPort | null> {
    if (!(await isPortBusy(port))) return null;
    await new Promise((resolve) => setTimeout(resolve, RECHECK_DELAY_MS));
    return (await isPortBusy(port)) ? { port, owner: await portOwner(port) } : null;
  }
}
