export * from './day-table.policy';
export { DayTableStore } from './day-table.store';
