// One column per actor, one row per step: each step in its actor's column with what it changed, as
// kernel developers draw a race. The selected row is the state shown beside it.
import { useEffect, useRef } from 'preact/hooks';
import { unquote, type StepView } from './trace-model.ts';

interface Props {
  views: StepView[];
  lanes: string[];
  sel: number;
  loop?: number;
  onSelect: (i: number) => void;
}

export function Swimlane({ views, lanes, sel, loop, onSelect }: Props) {
  const table = useRef<HTMLTableElement>(null);
  useEffect(() => {
    table.current?.querySelector<HTMLElement>(`#step-${sel}`)?.scrollIntoView({ block: 'nearest' });
  }, [sel]);
  const cols = Math.max(lanes.length, 1);
  return (
    <table class="swimlane" ref={table}>
      <thead>
        <tr>
          <th class="num" scope="col">
            #
          </th>
          {lanes.map((l) => (
            <th scope="col" class="lane-title" key={l}>
              {l}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {views.map((v, i) => {
          // The cycle's first state is in the cycle, the step into it is not: the cycle's boundary
          // is drawn below that row, so that only the cycle's own steps stand between it and the step back.
          const cls = ['step', i === sel ? 'selected' : '', loop !== undefined && i >= loop ? 'in-cycle' : '', i === loop ? 'cycle-start' : ''].join(' ').trim();
          const cellOf = v.step.lane === undefined ? -1 : lanes.indexOf(v.step.lane);
          return (
            <tr id={`step-${i}`} key={i} class={cls} aria-selected={i === sel} onClick={() => onSelect(i)}>
              <th class="num" scope="row">
                {i + 1}
                {i === loop && (
                  <span class="cycle-mark" title="the cycle starts at this state: the steps below it and the step back repeat forever">
                    ↻
                  </span>
                )}
              </th>
              {cellOf < 0 ? (
                <td colSpan={cols} class="cell init">
                  <span class="name">{v.step.label}</span>
                  {v.step.violates?.length ? <Violates names={v.step.violates} /> : null}
                </td>
              ) : (
                lanes.map((l, c) => (c === cellOf ? <StepCell key={l} v={v} /> : <td key={l} class="cell empty" />))
              )}
            </tr>
          );
        })}
        {loop !== undefined && (
          <tr class="cycle-back">
            <th class="num">↻</th>
            <td colSpan={cols}>back to state {loop + 1}: the cycle repeats forever</td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

function StepCell({ v }: { v: StepView }) {
  return (
    <td class="cell acted">
      <div class="name" title={v.step.label}>
        {v.step.name}
      </div>
      <ul class="changes">
        {v.changes.map((c) => (
          <li key={c.path} class="change">
            <span class="path">{c.path}</span>: <span class="before">{c.before ?? '–'}</span> <span class="arrow">→</span>{' '}
            <span class="after">{c.after}</span>
          </li>
        ))}
        {v.changes.length === 0 && <li class="quiet">{v.pc ? '(nothing else changed)' : '(no variable changed)'}</li>}
        {v.pc && <li class="goto">→ {unquote(v.pc.after)}</li>}
      </ul>
      {v.step.violates?.length ? <Violates names={v.step.violates} /> : null}
    </td>
  );
}

export function Violates({ names }: { names: string[] }) {
  return <span class="violates">violates {names.join(', ')}</span>;
}
