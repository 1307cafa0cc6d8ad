import 'reflect-metadata';
import { runRoleMain } from '@wwb/http';
import { WorkerModule } from './worker.module';

if (require.main === module) runRoleMain('worker', (config) => WorkerModule.forRoot(config));
