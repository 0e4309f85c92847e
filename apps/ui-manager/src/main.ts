import { runService } from '@homehelper/service';
import { UiModule } from './ui.module';

// UI apps lease their ports from the app-manager's port_leases table.
void runService({ name: 'ui-manager', imports: [UiModule], sharedTablesOf: ['app-manager'] });
