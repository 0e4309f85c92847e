import { runService } from '@homehelper/service';

void runService({ name: 'habit-service' });
