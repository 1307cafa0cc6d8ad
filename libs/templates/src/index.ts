export * from './templates.module';
export { TemplateEngine, MAX_LOOP_ITERATIONS, MAX_RENDERED_LENGTH } from './template-engine.service';
export type { RenderContext, TemplateContact } from './render-context';
export { TEMPLATE_PROBLEM_CODES } from './template-analysis.policy';
export type { TemplateProblem, TemplateProblemCode, TemplateWarning } from './template-analysis.policy';
export { INLINE_HELPERS, BLOCK_HELPERS } from './template-helpers';
export { TemplatesService, TEMPLATE_CHANGED } from './templates.service';
export type { RenderedTemplate, TemplateChangedEvent, TemplatePreview } from './templates.service';
export { TemplateReferencesService } from './template-references.service';
export type { TemplateOwner } from './template-reference.repository';
export { TEMPLATE_CATEGORIES, TEMPLATE_MEDIA_TYPES, TEMPLATE_OWNER_KINDS } from './template.schema';
export type {
  TemplateCategory,
  TemplateMedia,
  TemplateOwnerKind,
  TemplateRecord,
  TemplateVariable,
} from './template.schema';
