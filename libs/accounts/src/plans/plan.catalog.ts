import { Injectable } from '@nestjs/common';
import { AppConfig } from '@wwb/config';
import { Plan } from './plan.value-object';

/** The plans as this deployment runs them: the built-in limits with PLAN_LIMITS applied (validated at boot). */
@Injectable()
export class PlanCatalog {
  readonly all: readonly Plan[];

  constructor(config: AppConfig) {
    this.all = Plan.withOverrides(config.planLimits);
  }

  of(name: string): Plan {
    const plan = this.all.find((p) => p.name === name);
    if (!plan) throw new Error(`unknown plan "${name}"`);
    return plan;
  }
}
