import type { TemplateDto } from './template.dto';
import type { TemplateRecord } from './template.schema';

export function toTemplateDto(t: TemplateRecord): TemplateDto {
  return {
    id: t._id,
    name: t.name,
    language: t.language,
    category: t.category,
    body: t.body,
    variables: t.variables.map((v) => ({
      name: v.name,
      example: v.example,
      ...(v.description !== undefined ? { description: v.description } : {}),
    })),
    media: t.media ? { ...t.media } : null,
    revision: t.revision,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}
