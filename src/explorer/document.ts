// What the browser explorer shows: a trace as plain data (ITF values per state, each step's column),
// built on the Node side so that the page needs no spec, and the live explorer's answers. Types
// only: the page and the server share them, and `interleave trace --html` embeds a document as JSON.

export interface ExplorerStep {
  /** `put.load(self=t1)`, or `initial state`. */
  label: string;
  /** The step's name within its column (`load`); the label for the initial state. */
  name: string;
  /** The swimlane column (`put t1`); none for an initial state. */
  lane?: string;
  /** The thread id of a process step, to tell its own program counter from what it changed. */
  self?: string;
  /** Each variable's ITF value. */
  state: Record<string, unknown>;
  /** Trace expressions at this state (ITF values), when the trace carries them. */
  expressions?: Record<string, unknown>;
  /** Properties this state violates (the live explorer checks every state it reaches). */
  violates?: string[];
}

export interface ExplorerDoc {
  title: string;
  /** What went wrong, as the checker said it (`invariant 'NoLeak' is violated`). */
  description?: string;
  /** Where the trace came from: its file, or the spec file. */
  source?: string;
  vars: string[];
  steps: ExplorerStep[];
  /** For a lasso: the index of the state the last one loops back to. */
  loop?: number;
}

/** One enabled action from the state the live explorer is at, with what taking it leads to. */
export interface ExploreChoice {
  /** The action instance's id. */
  id: number;
  /** Which branch or choice inside the action (empty for an action without choices). */
  choice: number[];
  /** How the URL's path names this step: the id, then the choice path after dashes (`7-1`). */
  step: string;
  label: string;
  lane?: string;
  /** How many variable paths it changes. */
  changes: number;
  /** Properties the successor violates. */
  violates: string[];
}

/** An action that is not enabled, and the guard that blocks it. */
export interface ExploreBlocked {
  id: number;
  label: string;
  lane?: string;
  reason: string;
}

/** The live explorer's answer for a path: its states, and what can happen at state `at`. */
export interface ExploreAnswer {
  doc: ExplorerDoc;
  at: number;
  /** How many initial states the spec has (a path starts with the index of one). */
  initialStates: number;
  enabled: ExploreChoice[];
  blocked: ExploreBlocked[];
}

/** What the page is given: a trace to read, or the URL of a live explorer's API. */
export type ExplorerBoot = { mode: 'trace'; doc: ExplorerDoc } | { mode: 'explore'; api: string; title: string };
