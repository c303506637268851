/** One request group of GET /allocation_candidates (unsuffixed, or `resources<suffix>` and friends). */
export interface RequestGroup {
  /** '' for the unsuffixed group. */
  suffix: string;
  /** True for suffixed groups: every resource from one provider. */
  useSameProvider: boolean;
  /** resource class id → amount. */
  resources: Map<number, number>;
  /** Each set of trait ids: at least one is needed. */
  required: number[][];
  forbidden: number[];
  /** Each set of aggregate uuids: membership in at least one is needed. */
  memberOf: string[][];
  forbiddenAggregates: string[];
  /** Provider uuid whose tree the group must come from. */
  inTree?: string;
}

/** The request-wide parameters. */
export interface RequestWide {
  limit?: number;
  groupPolicy?: 'none' | 'isolate';
  /** root_required: trait ids the root must have / must not have. */
  rootRequired?: number[];
  rootForbidden?: number[];
  /** same_subtree: sets of suffixes. */
  sameSubtrees: string[][];
  /** Below 1.29, candidates that combine several providers of one tree are dropped. */
  nestedAware: boolean;
  randomize: boolean;
}

/** One resource amount of a candidate. */
export interface RequestedResource {
  providerId: number;
  resourceClassId: number;
  amount: number;
}

/** One allocation candidate: what it takes from which providers, and which group each provider served. */
export interface AllocationRequest {
  /** Root of the tree the candidate belongs to (a sharing provider may serve several). */
  anchorRootId: number;
  useSameProvider: boolean;
  resources: RequestedResource[];
  /** suffix → provider ids. */
  mappings: Map<string, Set<number>>;
}
