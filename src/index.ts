// The public surface: what a spec file imports.
export * from './schema/index.ts';
export { defineSpec, TYPE_OK, DEADLOCK, STARVATION, type Spec, type SpecDef, type ActionDef, type VariantDef, type Expectation, type Finding } from './spec.ts';
export {
  always,
  alwaysEventually,
  and,
  eventually,
  eventuallyAlways,
  exists,
  forall,
  implies,
  initially,
  leadsTo,
  or,
  step,
  stepOrStutter,
  strongFair,
  weakFair,
  type TemporalFormula,
} from './temporal.ts';
export { network, Network, type InFlight, type NetworkKind, type NetworkOptions } from './network.ts';
export { choose, either, when, subsetsOf, majorities, type Domain, type Subset } from './choice.ts';
export { process, type ProcessOptions, type Step } from './process.ts';
export { assert } from './assert.ts';
export { enabled } from './enabled.ts';
