import { runService } from '@homehelper/service';
import { AppsModule } from './apps.module';

void runService({ name: 'app-manager', imports: [AppsModule] });
