// Campaigns: recurring and one-off sends to an audience, paced per connection (issue 10).
export * from './schedule';
export * from './pacing';
