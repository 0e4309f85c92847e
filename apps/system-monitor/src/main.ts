import { runService } from '@homehelper/service';
import { MonitorModule } from './monitor.module';

// The app-manager's `apps` table tells which processes are whose: its migrations run first, whatever the start order.
void runService({ name: 'system-monitor', imports: [MonitorModule], sharedTablesOf: ['app-manager'] });
