export * from './bulk-row.schema';
export * from './bulk-row.repository';
export * from './bulk-row.policy';
export * from './bulk-send.dto';
export * from './bulk-send.service';
export * from './bulk-sends.controller';
