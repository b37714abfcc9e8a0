import { registerAs } from '@nestjs/config';
import { parseEnvironment } from './environment.js';

export const operationsConfig = registerAs('operations', () => {
  const env = parseEnvironment(process.env);
  return {
    internalApiKey: env.INTERNAL_API_KEY,
    maintenanceMode: env.ADMIN_MAINTENANCE_MODE,
    jobsEnabled: env.JOBS_ENABLED,
    metricsToken: env.METRICS_TOKEN,
  };
});
