import 'reflect-metadata';
import { runRoleMain } from '@wwb/http';
import { GatewayModule } from './gateway.module';

if (require.main === module) runRoleMain('gateway', (config) => GatewayModule.forRoot(config));
