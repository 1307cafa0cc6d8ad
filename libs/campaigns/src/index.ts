// Campaigns: recurring and one-off sends to an audience, paced per connection (issue 10).
export * from './campaigns.module';
export * from './definitions';
export * from './runs';
export * from './dispatch';
export * from './reports';
export * from './schedule';
export * from './pacing';
export * from './bulk';
