import { z } from 'zod';

export const REGION_CODES = ['US', 'CA', 'EU', 'GB', 'AU'] as const;
export const BILLING_CYCLES = ['monthly', 'yearly'] as const;
export const LEVELS = ['free', 'trial', 'basic', 'standard', 'advanced', 'pro'] as const;

const money = z.number().int().nonnegative();
const price = z
  .object({
    unitAmount: money,
    stripePriceId: z.string().startsWith('price_').optional(),
    /** Stripe's lookup key of this price, when the catalog's prices live in Stripe. */
    lookupKey: z.string().min(1).max(200).optional(),
  })
  .strict();
const regional = z.record(z.enum(REGION_CODES), price);
const perLevel = <T extends z.ZodType>(value: T) => z.record(z.enum(LEVELS), value);

const tier = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9_]*$/),
    trialDays: z.number().int().positive().nullable(),
    prices: z.record(z.enum(BILLING_CYCLES), regional),
  })
  .strict();

const feature = z
  .object({
    kind: z.enum(['metered', 'credits', 'seats', 'boolean']),
    period: z.enum(['day', 'month', 'billing_period']).nullable(),
    unit: z.string().nullable(),
    limits: perLevel(z.number().int().nonnegative().nullable()).optional(),
    enabled: perLevel(z.boolean()).optional(),
  })
  .strict()
  .refine((f) => (f.kind === 'boolean' ? f.enabled !== undefined : f.limits !== undefined), {
    message: 'boolean features need "enabled" per level; the others need "limits" per level',
  });

/**
 * The shape of config/catalog.json. Records keyed by an enum must have every key, so every tier
 * has a price for every cycle and region, every pack for every region, and every feature a value
 * for every level: a gap is refused at boot instead of surfacing as a missing price at checkout.
 */
export const catalogSchema = z
  .object({
    version: z.number().int().positive(),
    productKey: z.string().min(1),
    productName: z.string().min(1),
    regions: z.record(z.enum(REGION_CODES), z.string().regex(/^[A-Z]{3}$/)),
    levels: z.array(z.enum(LEVELS)),
    tiersForSale: z.array(z.string()).min(1),
    changeRules: z
      .object({
        upgrade: z.enum(['immediate', 'period_end']),
        downgrade: z.enum(['immediate', 'period_end']),
      })
      .strict(),
    tiers: z.array(tier).min(1),
    creditPacks: z.array(
      z
        .object({
          key: z.string().regex(/^[a-z][a-z0-9_]*$/),
          credits: z.number().int().positive(),
          bonusCredits: z.number().int().nonnegative(),
          prices: regional,
        })
        .strict(),
    ),
    features: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/), feature),
  })
  .strict()
  .superRefine((catalog, context) => {
    const complain = (path: (string | number)[], message: string) =>
      context.addIssue({ code: 'custom', path, message });
    catalog.tiers.forEach((tier, t) => {
      if (!catalog.levels.includes(tier.key as (typeof LEVELS)[number]))
        complain(['tiers', t, 'key'], 'not a level');
    });
    catalog.tiersForSale.forEach((key, i) => {
      if (!catalog.tiers.some((tier) => tier.key === key))
        complain(['tiersForSale', i], `no tier "${key}"`);
    });
  });

export type Catalog = z.infer<typeof catalogSchema>;
export type Region = (typeof REGION_CODES)[number];
export type BillingCycle = (typeof BILLING_CYCLES)[number];
export type Level = (typeof LEVELS)[number];

export class InvalidCatalogError extends Error {}

/** Parses a catalog, or throws one line per problem, each naming where it is. */
export function parseCatalog(raw: unknown, source: string): Catalog {
  const result = catalogSchema.safeParse(raw);
  if (result.success) return result.data;
  const lines = result.error.issues.map(
    (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
  );
  throw new InvalidCatalogError(`Invalid catalog ${source}:\n  ${lines.join('\n  ')}`);
}
