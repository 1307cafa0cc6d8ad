import type { components } from './schema';

/** The API's bodies the console shows, named after the generated schema. */
type Schemas = components['schemas'];
export type Connection = Schemas['ConnectionDto'];
export type ConnectionStatus = Connection['status'];
export type QrCode = Schemas['QrDto'];
export type AccountOverview = Schemas['AccountOverviewDto'];
