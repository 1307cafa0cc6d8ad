export * from './campaign-dispatch.runner';
export * from './campaign-dispatch.registrar';
export * from './connection-pacer.repository';
export * from './dispatch-step.service';
