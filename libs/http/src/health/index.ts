export { HealthController } from './health.controller';
export { MetricsListenerService } from './metrics-listener.service';
