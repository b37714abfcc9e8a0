import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { billingConfig } from '../../config/billing.config.js';
import { CatalogRepository, type CatalogRows } from './catalog.repository.js';
import {
  BILLING_CYCLES,
  type BillingCycle,
  type Catalog,
  InvalidCatalogError,
  LEVELS,
  type Level,
  REGION_CODES,
  type Region,
  parseCatalog,
} from './catalog.schema.js';

export interface FeatureGrant {
  isEnabled: boolean;
  /** Null means unlimited. */
  limit: number | null;
  unit: string | null;
  period: 'day' | 'month' | 'billing_period' | null;
  kind: string;
}

export interface PlanPrice {
  productKey: string;
  tier: string;
  billingCycle: BillingCycle;
  region: Region;
  unitAmount: number;
  currency: string;
  stripePriceId: string | null;
  lookupKey: string | null;
  trialDays: number | null;
}

/** What Stripe says it bills: the fields of a price that identify a plan of the catalog. */
export interface BilledPrice {
  id: string;
  lookupKey: string | null;
  unitAmount: number | null;
  currency: string;
  interval: string | null;
}

export interface CreditPackPrice {
  key: string;
  credits: number;
  bonusCredits: number;
  region: Region;
  unitAmount: number;
  currency: string;
  stripePriceId: string | null;
}

/**
 * The catalog: read from CATALOG_PATH and validated at boot (a bad file stops the start, naming
 * the problem), upserted into the catalog tables, and served from memory.
 */
@Injectable()
export class CatalogService implements OnModuleInit {
  private readonly logger = new Logger(CatalogService.name);
  private catalog?: Catalog;

  constructor(
    @Inject(billingConfig.KEY) private readonly config: ConfigType<typeof billingConfig>,
    private readonly repository: CatalogRepository,
  ) {}

  async onModuleInit(): Promise<void> {
    const path = resolve(this.config.catalogPath);
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(path, 'utf8'));
    } catch (error) {
      throw new InvalidCatalogError(`Invalid catalog ${path}: ${(error as Error).message}`);
    }
    this.catalog = parseCatalog(raw, path);
    await this.repository.replaceAll(toRows(this.catalog));
    this.logger.log(`Catalog version ${this.catalog.version} loaded from ${path}`);
  }

  get productKey(): string {
    return this.loaded.productKey;
  }

  get productName(): string {
    return this.loaded.productName;
  }

  /** Whether upgrades and downgrades apply at once or at the period end. */
  get changeRules(): Catalog['changeRules'] {
    return this.loaded.changeRules;
  }

  isRegion(value: unknown): value is Region {
    return typeof value === 'string' && (REGION_CODES as readonly string[]).includes(value);
  }

  currencyOf(region: Region): string {
    return this.loaded.regions[region];
  }

  /** Every tier for sale in every cycle, priced for one region, cheapest tier first. */
  plans(region: Region): PlanPrice[] {
    return this.loaded.tiersForSale.flatMap((tier) =>
      BILLING_CYCLES.map((cycle) => this.price(tier, cycle, region)!),
    );
  }

  /** The price of one tier and cycle in a region; undefined when the tier is not for sale. */
  price(tier: string, billingCycle: BillingCycle, region: Region): PlanPrice | undefined {
    const entry = this.loaded.tiers.find((t) => t.key === tier);
    if (!entry || !this.loaded.tiersForSale.includes(tier)) return undefined;
    const price = entry.prices[billingCycle][region];
    return {
      productKey: this.loaded.productKey,
      tier,
      billingCycle,
      region,
      unitAmount: price.unitAmount,
      currency: this.currencyOf(region),
      stripePriceId: price.stripePriceId ?? null,
      lookupKey: price.lookupKey ?? null,
      trialDays: entry.trialDays,
    };
  }

  /**
   * The plan a price Stripe bills belongs to: by the catalog's Stripe price id or lookup key
   * where it names them, else by amount, currency and interval (inline `price_data` prices get
   * a new id each time). Undefined when no plan, or more than one, matches.
   */
  planOf(billed: BilledPrice): PlanPrice | undefined {
    const plans = REGION_CODES.flatMap((region) => this.plans(region));
    const byId = plans.find(
      (plan) =>
        plan.stripePriceId === billed.id ||
        (billed.lookupKey !== null && plan.lookupKey === billed.lookupKey),
    );
    if (byId) return byId;
    const interval = { month: 'monthly', year: 'yearly' }[billed.interval ?? ''];
    const byAmount = plans.filter(
      (plan) =>
        plan.unitAmount === billed.unitAmount &&
        plan.currency === billed.currency.toUpperCase() &&
        plan.billingCycle === interval,
    );
    return byAmount.length === 1 ? byAmount[0] : undefined;
  }

  /** Whether `tier` is a tier of the catalog (for sale or not). */
  isTier(tier: string): boolean {
    return this.loaded.tiers.some((entry) => entry.key === tier);
  }

  creditPacks(region: Region): CreditPackPrice[] {
    return this.loaded.creditPacks.map((pack) => this.creditPack(pack.key, region)!);
  }

  creditPack(key: string, region: Region): CreditPackPrice | undefined {
    const pack = this.loaded.creditPacks.find((p) => p.key === key);
    if (!pack) return undefined;
    const price = pack.prices[region];
    return {
      key,
      credits: pack.credits,
      bonusCredits: pack.bonusCredits,
      region,
      unitAmount: price.unitAmount,
      currency: this.currencyOf(region),
      stripePriceId: price.stripePriceId ?? null,
    };
  }

  /** What each feature allows at a level. */
  features(level: Level): Record<string, FeatureGrant> {
    return Object.fromEntries(
      Object.entries(this.loaded.features).map(([key, feature]) => [key, grantOf(feature, level)]),
    );
  }

  private get loaded(): Catalog {
    if (!this.catalog) throw new Error('The catalog is used before it was loaded');
    return this.catalog;
  }
}

function grantOf(feature: Catalog['features'][string], level: Level): FeatureGrant {
  const limit = feature.kind === 'boolean' ? null : (feature.limits?.[level] ?? null);
  const isEnabled = feature.kind === 'boolean' ? Boolean(feature.enabled?.[level]) : limit !== 0;
  return { isEnabled, limit, unit: feature.unit, period: feature.period, kind: feature.kind };
}

function toRows(catalog: Catalog): CatalogRows {
  const prices = catalog.tiers.flatMap((tier) =>
    BILLING_CYCLES.flatMap((cycle) =>
      REGION_CODES.map((region) => ({
        productKey: catalog.productKey,
        tier: tier.key,
        billingCycle: cycle,
        region,
        currency: catalog.regions[region],
        unitAmount: tier.prices[cycle][region].unitAmount,
        stripePriceId: tier.prices[cycle][region].stripePriceId ?? null,
        trialDays: tier.trialDays,
      })),
    ),
  );
  const packs = catalog.creditPacks.flatMap((pack) =>
    REGION_CODES.map((region) => ({
      packKey: pack.key,
      region,
      currency: catalog.regions[region],
      credits: pack.credits,
      bonusCredits: pack.bonusCredits,
      unitAmount: pack.prices[region].unitAmount,
      stripePriceId: pack.prices[region].stripePriceId ?? null,
    })),
  );
  const entitlements = LEVELS.flatMap((level) =>
    Object.entries(catalog.features).map(([featureKey, feature]) => {
      const grant = grantOf(feature, level);
      return {
        levelKey: level,
        featureKey,
        kind: feature.kind,
        isEnabled: grant.isEnabled,
        limit: grant.limit === null ? null : String(grant.limit),
        period: feature.period,
        unit: feature.unit,
      };
    }),
  );
  return { prices, packs, entitlements };
}
