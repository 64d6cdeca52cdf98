/** The worst case: every job runs to max_runtime at the on-demand price. */
export interface CostBound {
  readonly instanceType: string;
  readonly instanceCount: number;
  /** us-east-1 on-demand price; null when the catalog has none for this type. */
  readonly usdPerHour: number | null;
  readonly maxRuntimeSeconds: number;
  readonly perJobUsd: number | null;
  readonly totalUsd: number | null;
  readonly budgetUsd?: number;
  /** Absent when there is no budget or no price. */
  readonly withinBudget?: boolean;
  /** Spot bills less than the bound; the bound stays on-demand so it is never an underestimate. */
  readonly spot: boolean;
}
