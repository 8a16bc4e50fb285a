// The successor step is a chain of small calls (the action's successor function, the step's sink,
// encode, fingerprint, the strategy's handler, the store's insert, the frontier's push). V8 inlines
// calls into a hot function only up to 920 bytes of bytecode in all; this chain needs about 1,100,
// and past the budget the fingerprint and the push stayed calls: one worker's Counters took 8-11%
// more CPU than the same work written as one loop. Twice the budget inlines the whole chain.
// The setting is process-wide and only changes what the optimising compiler inlines.
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--max-inlined-bytecode-size-cumulative=1840');
