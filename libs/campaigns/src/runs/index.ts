export * from './campaign-run.schema';
export * from './active-campaign.repository';
export * from './campaign-run.repository';
export * from './campaign-send.repository';
export * from './run-planner.service';
export * from './run-starter.service';
export * from './campaign-scheduler.runner';
export * from './campaign-event.producer';
