export * from './checks';
export * from './parse-rule';
export * from './policy-check';
export * from './policy-enforcer';
export * from './rule-default';
export * from './sample';
