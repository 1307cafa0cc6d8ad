export * from './automation.module';
export * from './rules';
export * from './pipeline';
export * from './handoff';
