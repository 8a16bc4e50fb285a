/* Counters (bench-models.md) for SPIN: N = 6 counters, each incremented modulo K + 1 = 12.
   One process, one statement per counter: every state has 6 successors.
   12^6 = 2,985,984 states (the process's control state never changes). */
#define K 11
byte c[6];

active proctype counters() {
  do
  :: c[0] = (c[0] == K -> 0 : c[0] + 1)
  :: c[1] = (c[1] == K -> 0 : c[1] + 1)
  :: c[2] = (c[2] == K -> 0 : c[2] + 1)
  :: c[3] = (c[3] == K -> 0 : c[3] + 1)
  :: c[4] = (c[4] == K -> 0 : c[4] + 1)
  :: c[5] = (c[5] == K -> 0 : c[5] + 1)
  od
}
