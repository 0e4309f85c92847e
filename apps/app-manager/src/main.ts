import { runService } from '@homehelper/service';

void runService({ name: 'app-manager' });
