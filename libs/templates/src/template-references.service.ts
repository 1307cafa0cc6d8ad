import { Injectable } from '@nestjs/common';
import { AccountScope } from '@wwb/persistence';
import { Clock, DomainError } from '@wwb/runtime';
import { TemplateOwner, TemplateReferenceRepository } from './template-reference.repository';
import { TemplateRepository } from './template.repository';

/** A delete marker older than this belongs to a delete that crashed half-way: ignore it. */
export const DELETE_MARKER_TTL_MS = 60_000;

export const templateNotFound = (ids: string[]): DomainError =>
  DomainError.invalid(
    'template_not_found',
    `template${ids.length > 1 ? 's' : ''} ${ids.join(', ')} not found in this account`,
    ids.map((id) => ({ templateId: id })),
  );

/**
 * Which objects use which templates, so that a template in use cannot be deleted. An owner
 * (auto-reply rule, FAQ bot, campaign) calls `set` whenever it is saved and `clear` when it is
 * deleted. Race-free against a concurrent delete without transactions: `set` inserts first and
 * then checks the templates still exist and are not being deleted; a delete marks the template
 * first and then checks for references (TemplateAuthoringService.delete).
 */
@Injectable()
export class TemplateReferencesService {
  constructor(
    private readonly refs: TemplateReferenceRepository,
    private readonly templates: TemplateRepository,
    private readonly clock: Clock,
  ) {}

  /** Makes `templateIds` the templates `owner` uses; throws invalid `template_not_found` for missing ones. */
  async set(scope: AccountScope, owner: TemplateOwner, templateIds: string[]): Promise<void> {
    const wanted = [...new Set(templateIds)];
    const before = await this.refs.ofOwner(scope, owner);
    const added = wanted.filter((id) => !before.includes(id));
    const now = this.clock.now();
    for (const id of added) await this.refs.add(scope, owner, id, now);
    if (added.length) {
      const existing = new Set(await this.templates.existing(scope, added));
      const deleting = new Set(
        await this.templates.deleting(scope, added, new Date(now.getTime() - DELETE_MARKER_TTL_MS)),
      );
      const missing = added.filter((id) => !existing.has(id) || deleting.has(id));
      if (missing.length) {
        await this.refs.remove(scope, owner, added); // all or nothing
        throw templateNotFound(missing);
      }
    }
    const dropped = before.filter((id) => !wanted.includes(id));
    if (dropped.length) await this.refs.remove(scope, owner, dropped);
  }

  async clear(scope: AccountScope, owner: TemplateOwner): Promise<void> {
    await this.refs.remove(scope, owner);
  }

  /** The objects using a template (at most `limit`). */
  ownersOf(scope: AccountScope, templateId: string, limit = 50): Promise<TemplateOwner[]> {
    return this.refs.ownersOf(scope, templateId, limit);
  }
}
