import { runService } from '@homehelper/service';
import { MonitorModule } from './monitor.module';

void runService({
  name: 'system-monitor',
  imports: [MonitorModule],
  // The app-manager's `apps` table tells which processes are whose: its migrations run first, whatever the start order.
  sharedTablesOf: ['app-manager'],
  // The monitor writes a minute of history each minute: a connection that outlives the minute is reused,
  // where pg's 10 s default would open a new one for every write (bench/monitor).
  databasePool: { idleTimeoutMillis: 5 * 60_000 },
});
