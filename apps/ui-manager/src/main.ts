import { runService } from '@homehelper/service';

void runService({ name: 'ui-manager' });
