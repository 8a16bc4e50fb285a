// The real-time hour clock of Specifying Systems, chapter 9 (TLA+ Examples,
// specifications/SpecifyingSystems/RealTime/MCRealTimeHourClock.tla with MCRealTimeHourClock.cfg):
// an hour clock whose ticks a timer keeps between SecondsPerHour - Rho and SecondsPerHour + Rho
// seconds apart, with time `now` bounded by MaxReal. The model's property ErrorTemporal,
// [](now # 4 => <>[](now # 4)), is false on purpose: with no fairness, time may advance to 4 and
// stop there. TLC reports a liveness failure.
import { defineSpec, int, leadsTo, always } from '../../src/index.ts';

type C = { Rho: number; MaxReal: number; SecondsPerHour: number };
const C0: C = { Rho: 1, MaxReal: 5, SecondsPerHour: 2 };

export default defineSpec({
  name: 'realtime-hourclock',
  description: 'A real-time hour clock: the hour ticks within SecondsPerHour +- Rho of each other.',
  constants: C0,
  state: (c: C) => ({ hr: int(1, 12), now: int(0, c.MaxReal), t: int(0, c.SecondsPerHour + c.Rho) }),
  // BigInit: any hour, the timer at 0, any time.
  init: (c: C) => [...Array(12).keys()].flatMap((h) => [...Array(c.MaxReal + 1).keys()].map((now) => ({ hr: h + 1, now, t: 0 }))),
  actions: {
    // NowNext: time advances to r; the timer runs, and may not pass SecondsPerHour + Rho.
    NowNext: {
      params: { r: int(0, 5) },
      when: (s, { r }, c) => r <= c.MaxReal && r > s.now && s.t + (r - s.now) <= c.SecondsPerHour + c.Rho,
      do: (s, { r }) => {
        s.t += r - s.now;
        s.now = r;
      },
    },
    // HCnxt: the hour ticks, no sooner than SecondsPerHour - Rho after the last, and the timer restarts.
    HCnxt: {
      when: (s, _p, c) => s.t >= c.SecondsPerHour - c.Rho,
      do: (s) => {
        s.hr = s.hr === 12 ? 1 : s.hr + 1;
        s.t = 0;
      },
    },
  },
  temporal: {
    ErrorTemporal: leadsTo((s) => s.now !== 4, always((s) => s.now !== 4)),
  },
  deadlock: false,
  expect: { violates: 'ErrorTemporal' },
});
