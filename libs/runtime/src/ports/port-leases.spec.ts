import { ChildProcess } from 'node:child_process';
import { DataSource } from 'typeorm';
import { createDataSource, runMigrations } from '@homehelper/database';
import { createTestDatabase, listenInChild, stopChild, TestDatabase } from '@homehelper/testing';
import { PortLeases, PortRangeExhaustedError } from './port-leases';

// Real Postgres (a database of this file's own, with the app-manager's migrations) and real sockets on
// 27100-27189, which no other test file uses. Each test takes its own slice of that range.

describe('PortLeases', () => {
  let database: TestDatabase;
  const dataSources: DataSource[] = [];
  let child: ChildProcess | undefined;

  /** A new DataSource each time: a second manager, or the same manager after a restart. */
  async function manager(): Promise<PortLeases> {
    const dataSource = createDataSource(database.url, 'app-manager');
    await dataSource.initialize();
    dataSources.push(dataSource);
    return new PortLeases(dataSource);
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    const dataSource = createDataSource(database.url, 'app-manager');
    await dataSource.initialize();
    dataSources.push(dataSource);
    await runMigrations(dataSource, 'app-manager');
  });

  beforeEach(() => dataSources[0].query('TRUNCATE port_leases'));

  afterEach(async () => {
    await stopChild(child);
    child = undefined;
  });

  afterAll(async () => {
    await Promise.all(dataSources.map((dataSource) => dataSource.destroy()));
    await database?.drop();
  });

  it('leases the preferred port when it is free', async () => {
    const leases = await manager();
    const lease = await leases.leaseFor('weather-station', { range: { from: 27100, to: 27109 }, rangeName: 'service', preferred: 27105 });
    expect(lease).toMatchObject({ port: 27105, appId: 'weather-station', rangeName: 'service', reused: false, skipped: [] });
    expect(lease.leasedAt).toBeInstanceOf(Date);
    expect(await leases.leases()).toEqual([{ port: 27105, appId: 'weather-station', rangeName: 'service', leasedAt: lease.leasedAt }]);
  });

  it('takes the lowest free port without a preference, or when the preferred one is leased to another app', async () => {
    const leases = await manager();
    const range = { from: 27100, to: 27109 };
    expect((await leases.leaseFor('first', { range, rangeName: 'service', preferred: 27103 })).port).toBe(27103);
    expect((await leases.leaseFor('second', { range, rangeName: 'service' })).port).toBe(27100);
    expect((await leases.leaseFor('third', { range, rangeName: 'service', preferred: 27103 })).port).toBe(27101);
  });

  it('keeps an app on its port across a manager restart, whatever it now prefers', async () => {
    const range = { from: 27110, to: 27119 };
    const before = await (await manager()).leaseFor('notes', { range, rangeName: 'service', preferred: 27112 });
    const restarted = await manager();
    const after = await restarted.leaseFor('notes', { range, rangeName: 'service', preferred: 27115 });
    expect(after).toEqual({ ...before, reused: true });
    expect(await restarted.leases()).toHaveLength(1);
  });

  it('skips a port another process listens on and names that process', async () => {
    child = await listenInChild(27120);
    const lease = await (await manager()).leaseFor('weather-station', { range: { from: 27120, to: 27129 }, rangeName: 'service', preferred: 27120 });
    expect(lease.port).toBe(27121);
    expect(lease.skipped).toEqual([{ port: 27120, owner: { pid: child.pid, command: expect.stringContaining('createServer') } }]);
  });

  // Fixed ports below Linux's ephemeral range (32768-60999), so no test's outgoing connection sits on one.
  it('gives 20 apps 20 distinct ports when two managers race to lease them', async () => {
    const [first, second] = [await manager(), await manager()];
    const range = { from: 27130, to: 27159 };
    const apps = Array.from({ length: 20 }, (_, index) => `app-${index}`);
    const leaseAll = (leases: PortLeases) => Promise.all(apps.map((appId) => leases.leaseFor(appId, { range, rangeName: 'service' })));
    const [byFirst, bySecond] = await Promise.all([leaseAll(first), leaseAll(second)]);

    expect(byFirst.map((lease) => lease.port)).toEqual(bySecond.map((lease) => lease.port));
    expect(new Set(byFirst.map((lease) => lease.port)).size).toBe(20);
    const rows = await first.leases();
    expect(rows).toHaveLength(20);
    expect(rows.map((row) => row.appId).sort()).toEqual([...apps].sort());
    expect(rows.every((row) => row.port >= range.from && row.port <= range.to)).toBe(true);
  });

  it('gives every app its own port when two managers race over different apps for one range', async () => {
    const [first, second] = [await manager(), await manager()];
    const range = { from: 27130, to: 27159 };
    // 24 apps for 30 ports: a port some other process on the machine holds meanwhile is skipped, not a failure.
    const leaseAll = (leases: PortLeases, prefix: string) =>
      Promise.all(Array.from({ length: 12 }, (_, index) => leases.leaseFor(`${prefix}-${index}`, { range, rangeName: 'service' })));
    const results = (await Promise.all([leaseAll(first, 'a'), leaseAll(second, 'b')])).flat();
    expect(new Set(results.map((lease) => lease.port)).size).toBe(24);
    expect(await first.leases()).toHaveLength(24);
  });

  it('refuses a second lease of a port in the database itself', async () => {
    await (await manager()).leaseFor('first', { range: { from: 27160, to: 27160 }, rangeName: 'service' });
    await expect(dataSources[0].query(`INSERT INTO port_leases (port, app_id, range_name) VALUES (27160, 'second', 'service')`)).rejects.toThrow(
      /port_leases_pkey/,
    );
    await expect(dataSources[0].query(`INSERT INTO port_leases (port, app_id, range_name) VALUES (27161, 'first', 'service')`)).rejects.toThrow(
      /port_leases_app_id_key/,
    );
  });

  it('frees the port on release, so another app can take it', async () => {
    const leases = await manager();
    const range = { from: 27165, to: 27169 };
    expect((await leases.leaseFor('old-app', { range, rangeName: 'service', preferred: 27167 })).port).toBe(27167);
    expect(await leases.release('old-app')).toBe(27167);
    expect(await leases.release('old-app')).toBeNull();
    expect(await leases.leases()).toEqual([]);
    expect((await leases.leaseFor('new-app', { range, rangeName: 'service', preferred: 27167 })).port).toBe(27167);
  });

  it('moves an app whose lease lies in another range (it changed type) into the requested one', async () => {
    const leases = await manager();
    await leases.leaseFor('dashboard', { range: { from: 27170, to: 27174 }, rangeName: 'service' });
    const moved = await leases.leaseFor('dashboard', { range: { from: 27175, to: 27179 }, rangeName: 'streamlit' });
    expect(moved).toMatchObject({ port: 27175, rangeName: 'streamlit', reused: false });
    expect(await leases.leases()).toHaveLength(1);
  });

  it('fails with a clear error when every port of the range is leased or held', async () => {
    const leases = await manager();
    const range = { from: 27180, to: 27182 };
    child = await listenInChild(27182);
    await leases.leaseFor('one', { range, rangeName: 'service' });
    await leases.leaseFor('two', { range, rangeName: 'service' });
    const failure = leases.leaseFor('three', { range, rangeName: 'service' });
    await expect(failure).rejects.toBeInstanceOf(PortRangeExhaustedError);
    await expect(failure).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringMatching(new RegExp(`No free port for app 'three' in range 'service' \\(27180-27182\\).*27182 \\(pid ${child.pid}: `)),
    });
    expect(await leases.leases()).toHaveLength(2);
  });

  it('refuses an invalid range', async () => {
    await expect((await manager()).leaseFor('x', { range: { from: 27190, to: 27180 }, rangeName: 'service' })).rejects.toThrow(RangeError);
  });
});
