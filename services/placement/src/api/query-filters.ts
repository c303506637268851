import { PlacementBadRequest } from '../manager/placement-errors';
import { isUuidLike } from './json-validation';
import type { PlacementRequest } from './placement-request';

/** `VCPU:2,MEMORY_MB:1024` → class → amount, with upstream's messages. */
export function parseResources(value: string): Map<string, number> {
  if (value.trim() === '') {
    throw new PlacementBadRequest(
      'Badly formed resources parameter. Expected resources query string parameter in form: ?resources=VCPU:2,MEMORY_MB:1024. Got: empty string.',
    );
  }
  const out = new Map<string, number>();
  for (const part of value.split(',')) {
    const pieces = part.split(':');
    if (pieces.length !== 2) {
      throw new PlacementBadRequest(
        `Badly formed resources parameter. Expected resources query string parameter in form: ?resources=VCPU:2,MEMORY_MB:1024. Got: ${part}.`,
      );
    }
    const [name = '', amountText = ''] = pieces;
    if (!/^\s*[-+]?\d+\s*$/.test(amountText)) {
      throw new PlacementBadRequest(
        `Requested resource ${name} expected positive integer amount. Got: ${amountText}.`,
      );
    }
    const amount = Number.parseInt(amountText, 10);
    if (amount < 1)
      throw new PlacementBadRequest(`Requested resource ${name} requires amount >= 1. Got: ${amount}.`);
    out.set(name, amount);
  }
  return out;
}

/** Required traits (each set: any of them) and forbidden traits. */
export interface TraitTerms {
  required: string[][];
  forbidden: string[];
}

/** One `required` value: `A,!B` (forbidden from 1.22) or `in:A,B` (from 1.39). */
export function parseTraitValue(value: string, allowForbidden: boolean, allowAny: boolean): TraitTerms {
  if (value.startsWith('in:')) {
    if (!allowAny) {
      throw new PlacementBadRequest(
        `Invalid query string parameters: The format 'in:HW_CPU_X86_VMX,CUSTOM_MAGIC' only supported since microversion 1.39. Got: ${value}`,
      );
    }
    const any = [
      ...new Set(
        value
          .slice(3)
          .split(',')
          .map((s) => s.trim()),
      ),
    ];
    if (any.some((t) => !t)) {
      throw new PlacementBadRequest(
        `Invalid query string parameters: Expected 'required' parameter value of the form: in:HW_CPU_X86_VMX,CUSTOM_MAGIC. Got an empty trait in: ${value}`,
      );
    }
    if (any.some((t) => t.startsWith('!'))) {
      throw new PlacementBadRequest(
        `Invalid query string parameters: The format 'in:HW_CPU_X86_VMX,CUSTOM_MAGIC' does not support forbidden traits. Got: ${value}`,
      );
    }
    return { required: [any], forbidden: [] };
  }
  const all = value.split(',').map((s) => s.trim());
  const forbidden = [...new Set(all.filter((t) => t.startsWith('!')).map((t) => t.replace(/^!+/, '')))];
  if ([...all, ...forbidden].some((t) => !t)) {
    const form = allowForbidden ? 'HW_CPU_X86_VMX,!CUSTOM_MAGIC' : 'HW_CPU_X86_VMX,CUSTOM_MAGIC';
    throw new PlacementBadRequest(
      `Invalid query string parameters: Expected 'required' parameter value of the form: ${form}. Got an empty trait in: ${value}`,
    );
  }
  if (forbidden.length && !allowForbidden) {
    throw new PlacementBadRequest(
      `Invalid query string parameters: Expected 'required' parameter value of the form: HW_CPU_X86_VMX,CUSTOM_MAGIC. Got: ${value}`,
    );
  }
  return { required: [...new Set(all.filter((t) => !t.startsWith('!')))].map((t) => [t]), forbidden };
}

/** Every `required<suffix>` value of a request (only the last before 1.39). */
export function requestTraits(req: PlacementRequest, suffix = ''): TraitTerms {
  const allowForbidden = req.atLeast('1.22');
  const allowAny = req.atLeast('1.39');
  let values = req.query.getAll(`required${suffix}`);
  if (!allowAny) values = values.slice(-1);
  const out: TraitTerms = { required: [], forbidden: [] };
  for (const v of values) {
    const t = parseTraitValue(v, allowForbidden, allowAny);
    out.required.push(...t.required);
    out.forbidden.push(...t.forbidden.filter((f) => !out.forbidden.includes(f)));
  }
  return out;
}

/** Aggregates required (each set: any of them) and forbidden. */
export interface AggregateTerms {
  required: string[][];
  forbidden: string[];
}

/** Every `member_of<suffix>` value (several from 1.24, `!` from 1.32). */
export function requestMemberOf(req: PlacementRequest, suffix = ''): AggregateTerms {
  const values = req.query.getAll(`member_of${suffix}`);
  if (!req.atLeast('1.24') && values.length > 1) {
    throw new PlacementBadRequest(`Multiple member_of${suffix} parameters are not supported`);
  }
  const out: AggregateTerms = { required: [], forbidden: [] };
  for (const value of values) {
    if (value.includes(',') && !(value.startsWith('in:') || value.startsWith('!in:'))) {
      throw new PlacementBadRequest(
        `Multiple values for 'member_of' must be prefixed with the 'in:' or '!in:' keyword using the valid microversion. Got: ${value}`,
      );
    }
    let required: string[] = [];
    let forbidden: string[] = [];
    if (value.startsWith('!in:')) forbidden = value.slice(4).split(',');
    else if (value.startsWith('!')) forbidden = [value.slice(1)];
    else if (value.startsWith('in:')) required = value.slice(3).split(',');
    else required = [value];
    for (const agg of [...required, ...forbidden]) {
      if (!isUuidLike(agg)) {
        throw new PlacementBadRequest(
          `Invalid query string parameters: Expected 'member_of' parameter to contain valid UUID(s). Got: ${agg}`,
        );
      }
    }
    if (required.length) out.required.push([...new Set(required)]);
    if (forbidden.length) {
      if (!req.atLeast('1.32')) {
        throw new PlacementBadRequest(
          `Forbidden member_of${suffix} parameters are not supported in the specified microversion`,
        );
      }
      for (const f of forbidden) if (!out.forbidden.includes(f)) out.forbidden.push(f);
    }
  }
  return out;
}

/** An `in_tree` value: a provider uuid. */
export function parseInTree(value: string): string {
  const v = value.trim();
  if (!isUuidLike(v)) {
    throw new PlacementBadRequest(
      `Invalid query string parameters: Expected 'in_tree' parameter to be a format of uuid. Got: ${value}`,
    );
  }
  return v;
}
