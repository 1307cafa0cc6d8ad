import 'reflect-metadata';
import { runRoleMain } from '@wwb/http';
import { AllInOneModule } from './all-in-one.module';

if (require.main === module) runRoleMain('all-in-one', (config) => AllInOneModule.forRoot(config));
