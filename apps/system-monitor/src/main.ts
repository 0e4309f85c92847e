import { runService } from '@homehelper/service';

void runService({ name: 'system-monitor' });
