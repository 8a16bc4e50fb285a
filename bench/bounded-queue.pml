/* BoundedQueue (bench-models.md) for SPIN: a FIFO of at most Cap = 12 values from 0..V-1 (V = 3);
   Put(v) is a send, executable while the channel has room; Get receives the head into last.
   3,188,644 states. */
chan q = [12] of { byte };
byte last = 3;

active proctype queue() {
  do
  :: q!0
  :: q!1
  :: q!2
  :: q?last
  od
}
