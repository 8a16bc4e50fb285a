// The live explorer's choices at the selected state: each enabled action as a button (1-9 on the
// keyboard), and the actions that are not enabled with the guard that blocks each.
import type { ExploreAnswer } from '../document.ts';

interface Props {
  answer: ExploreAnswer;
  /** Takes a step, as the path names it. */
  onTake: (step: string) => void;
  /** Taking an action from an earlier state drops the steps after it. */
  truncates: boolean;
}

export function ActionsPanel({ answer, onTake, truncates }: Props) {
  return (
    <section class="actions" aria-label="actions">
      <h2>Enabled actions ({answer.enabled.length})</h2>
      {truncates && <p class="hint">Taking one replaces the steps after this state.</p>}
      {answer.enabled.length === 0 && <p class="quiet">None: no action is enabled in this state (a deadlock, unless it is a proper end).</p>}
      <ol class="enabled">
        {answer.enabled.map((c, i) => (
          <li key={c.step}>
            <button type="button" class="take" data-action={c.label} onClick={() => onTake(c.step)}>
              {i < 9 && <kbd>{i + 1}</kbd>} <span class="label">{c.label}</span>
              {c.lane && <span class="lane-tag">{c.lane}</span>}
              <span class="quiet">
                {' '}
                {c.changes} change{c.changes === 1 ? '' : 's'}
              </span>
              {c.violates.length > 0 && <span class="violates">violates {c.violates.join(', ')}</span>}
            </button>
          </li>
        ))}
      </ol>
      {answer.blocked.length > 0 && (
        <details class="blocked">
          <summary>Blocked ({answer.blocked.length})</summary>
          <ul>
            {answer.blocked.map((b) => (
              <li key={b.id} data-action={b.label}>
                <span class="label">{b.label}</span>: <span class="reason">{b.reason}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
