export { ConnectionSimulatorController } from './connection-simulator.controller';
