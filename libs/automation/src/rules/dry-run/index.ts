export { AutoReplyDryRunService } from './auto-reply-dry-run.service';
export type { DryRunAction, DryRunCommand, DryRunResult } from './auto-reply-dry-run.service';
