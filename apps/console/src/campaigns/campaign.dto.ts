import type { components } from '../api/schema';

/** The campaign API's bodies, named after the generated schema. */
type Schemas = components['schemas'];
export type Campaign = Schemas['CampaignDto'];
export type CampaignState = Campaign['state'];
export type CreateCampaignBody = Schemas['CreateCampaignDto'];
export type UpdateCampaignBody = Schemas['UpdateCampaignDto'];
export type ScheduleBody = Schemas['CampaignScheduleDto'];
export type PacingBody = Schemas['CampaignPacingInputDto'];
export type Pacing = Schemas['CampaignPacingDto'];
export type SchedulePreview = Schemas['SchedulePreviewDto'];
export type DryRun = Schemas['CampaignDryRunDto'];
export type RunSummary = Schemas['RunSummaryDto'];
export type RunReport = Schemas['RunReportDto'];
export type RunRecipient = Schemas['RunRecipientDto'];
export type AnalyticsReport = Schemas['AnalyticsReportDto'];
export type Template = Schemas['TemplateDto'];
export type TemplateVariable = Schemas['TemplateVariableDto'];
export type Contact = Schemas['ContactDto'];
