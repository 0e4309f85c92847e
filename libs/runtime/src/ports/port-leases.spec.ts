import { ChildProcess } from 'node:child_process';
import { DataSource } from 'typeorm';
import { createDataSource, runMigrations } from '@homehelper/database';
import { createTestDatabase, listenInChild, stopChild, TestDatabase } from '@homehelper/testing';
import { PortLeases, PortRangeExhaustedError } from './port-leases';

// Real Postgres (a database of this file's own, with the app-manager's migrations) and real sockets on
// 47100-47189, which no other test file uses. Each test takes its own slice of that range.

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
    const lease = await leases.leaseFor('weather-station', { range: { from: 47100, to: 47109 }, rangeName: 'service', preferred: 47105 });
    expect(lease).toMatchObject({ port: 47105, appId: 'weather-station', rangeName: 'service', reused: false, skipped: [] });
    expect(lease.leasedAt).toBeInstanceOf(Date);
    expect(await leases.leases()).toEqual([{ port: 47105, appId: 'weather-station', rangeName: 'service', leasedAt: lease.leasedAt }]);
  });

  it('takes the lowest free port without a preference, or when the preferred one is leased to another app', async () => {
    const leases = await manager();
    const range = { from: 47100, to: 47109 };
    expect((await leases.leaseFor('first', { range, rangeName: 'service', preferred: 47103 })).port).toBe(47103);
    expect((await leases.leaseFor('second', { range, rangeName: 'service' })).port).toBe(47100);
    expect((await leases.leaseFor('third', { range, rangeName: 'service', preferred: 47103 })).port).toBe(47101);
  });

  it('keeps an app on its port across a manager restart, whatever it now prefers', async () => {
    const range = { from: 47110, to: 47119 };
    const before = await (await manager()).leaseFor('notes', { range, rangeName: 'service', preferred: 47112 });
    const restarted = await manager();
    const after = await restarted.leaseFor('notes', { range, rangeName: 'service', preferred: 47115 });
    expect(after).toEqual({ ...before, reused: true });
    expect(await restarted.leases()).toHaveLength(1);
  });

  it('skips a port another process listens on and names that process', async () => {
    child = await listenInChild(47120);
    const lease = await (await manager()).leaseFor('weather-station', { range: { from: 47120, to: 47129 }, rangeName: 'service', preferred: 47120 });
    expect(lease.port).toBe(47121);
    expect(lease.skipped).toEqual([{ port: 47120, owner: { pid: child.pid, command: expect.stringContaining('createServer') } }]);
  });

  it('gives 20 apps 20 distinct ports when two managers race to lease them', async () => {
    const [first, second] = [await manager(), await manager()];
    const range = { from: 47130, to: 47159 };
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
    const range = { from: 47130, to: 47159 };
    const leaseAll = (leases: PortLeases, prefix: string) =>
      Promise.all(Array.from({ length: 15 }, (_, index) => leases.leaseFor(`${prefix}-${index}`, { range, rangeName: 'service' })));
    const results = (await Promise.all([leaseAll(first, 'a'), leaseAll(second, 'b')])).flat();
    expect(new Set(results.map((lease) => lease.port)).size).toBe(30);
    expect(await first.leases()).toHaveLength(30);
  });

  it('refuses a second lease of a port in the database itself', async () => {
    await (await manager()).leaseFor('first', { range: { from: 47160, to: 47160 }, rangeName: 'service' });
    await expect(dataSources[0].query(`INSERT INTO port_leases (port, app_id, range_name) VALUES (47160, 'second', 'service')`)).rejects.toThrow(
      /port_leases_pkey/,
    );
    await expect(dataSources[0].query(`INSERT INTO port_leases (port, app_id, range_name) VALUES (47161, 'first', 'service')`)).rejects.toThrow(
      /port_leases_app_id_key/,
    );
  });

  it('frees the port on release, so another app can take it', async () => {
    const leases = await manager();
    const range = { from: 47165, to: 47169 };
    expect((await leases.leaseFor('old-app', { range, rangeName: 'service', preferred: 47167 })).port).toBe(47167);
    expect(await leases.release('old-app')).toBe(47167);
    expect(await leases.release('old-app')).toBeNull();
    expect(await leases.leases()).toEqual([]);
    expect((await leases.leaseFor('new-app', { range, rangeName: 'service', preferred: 47167 })).port).toBe(47167);
  });

  it('moves an app whose lease lies in another range (it changed type) into the requested one', async () => {
    const leases = await manager();
    await leases.leaseFor('dashboard', { range: { from: 47170, to: 47174 }, rangeName: 'service' });
    const moved = await leases.leaseFor('dashboard', { range: { from: 47175, to: 47179 }, rangeName: 'streamlit' });
    expect(moved).toMatchObject({ port: 47175, rangeName: 'streamlit', reused: false });
    expect(await leases.leases()).toHaveLength(1);
  });

  it('fails with a clear error when every port of the range is leased or held', async () => {
    const leases = await manager();
    const range = { from: 47180, to: 47182 };
    child = await listenInChild(47182);
    await leases.leaseFor('one', { range, rangeName: 'service' });
    await leases.leaseFor('two', { range, rangeName: 'service' });
    const failure = leases.leaseFor('three', { range, rangeName: 'service' });
    await expect(failure).rejects.toBeInstanceOf(PortRangeExhaustedError);
    await expect(failure).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringMatching(new RegExp(`No free port for app 'three' in range 'service' \\(47180-47182\\).*47182 \\(pid ${child.pid}: `)),
    });
    expect(await leases.leases()).toHaveLength(2);
  });

  it('refuses an invalid range', async () => {
    await expect((await manager()).leaseFor('x', { range: { from: 47190, to: 47180 }, rangeName: 'service' })).rejects.toThrow(RangeError);
  });
});
