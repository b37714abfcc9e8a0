import { registerAs } from '@nestjs/config';
import { parseEnvironment } from './environment.js';

export const billingConfig = registerAs('billing', () => {
  const env = parseEnvironment(process.env);
  return {
    stripeSecretKey: env.STRIPE_SECRET_KEY,
    stripeWebhookSecret: env.STRIPE_WEBHOOK_SECRET,
    stripeApiBase: env.STRIPE_API_BASE,
    catalogPath: env.CATALOG_PATH,
    gracePeriodDays: env.GRACE_PERIOD_DAYS,
    intentTtlMinutes: env.INTENT_TTL_MINUTES,
    entitlementCacheTtlSeconds: env.ENTITLEMENT_CACHE_TTL_SECONDS,
  };
});
