export * from './campaign-runs.controller';
export * from './run-launch.service';
export * from './run-report.dto';
export * from './run-report.service';
export * from './run-progress.stream';
