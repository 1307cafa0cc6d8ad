import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Integration and e2e tiers need the real broker and store: start them unless they already run. */
export default function globalSetup(): void {
  execFileSync(join(__dirname, '../../scripts/services/up.sh'), { stdio: 'inherit' });
}
