export { ConnectionSupervisor } from './connection.supervisor';
export { OfflineDriver } from './offline.driver';
