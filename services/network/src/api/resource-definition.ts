import type { Resource } from '../db/resource-store';
import type { AttributeMap } from './attribute-spec';
import type { CallContext } from './call-context';
import type { ListQuery } from './list-query';

/** A resource of the API, declared as data: names, path and attribute map. */
export interface ResourceDefinition {
  /** Singular body key and policy suffix (`network`, `security_group_rule`, `floatingip`). */
  resource: string;
  /** Plural body key (`networks`, `floatingips`). */
  collection: string;
  /** URL path under `/v2.0` (`/security-groups`). */
  path: string;
  attributes: AttributeMap;
  /** Bulk create allowed (default true). */
  bulk?: boolean;
}

/** What the generic controller asks of a resource's manager. */
export interface ResourceHandlers {
  /** A page of the resources the caller may see. */
  list(ctx: CallContext, query: ListQuery): Promise<Resource[]>;
  /** One resource the caller may see, or undefined. */
  get(ctx: CallContext, id: string): Promise<Resource | undefined>;
  /** Creates one resource from a parsed body with defaults filled. */
  create(ctx: CallContext, item: Resource): Promise<Resource>;
  update(ctx: CallContext, current: Resource, changes: Resource): Promise<Resource>;
  delete(ctx: CallContext, current: Resource): Promise<void>;
  /** What policy checks see besides the resource (`network:tenant_id`, the network's `shared`). */
  policyTarget?(ctx: CallContext, item: Resource): Promise<Record<string, unknown>>;
  /** Sets the tags of a resource (revision bumped). */
  setTags(ctx: CallContext, current: Resource, tags: string[]): Promise<void>;
}
