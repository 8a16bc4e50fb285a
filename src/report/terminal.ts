// Text that came from a file or a spec the user did not write reaches the terminal escaped: an ESC
// or OSC sequence in a trace value could otherwise set the window title, clear the screen or fake
// coloured output. The JUnit writer does the same for XML.

const names: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\x1b': '\\e' };

/** C0 and C1 controls, DEL, and the bidirectional overrides that reorder what a reader sees. */
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/**
 * `a\eb`, `line\nnext`, `\u009b`: control characters shown as escapes, everything else as it is.
 * `keepNewlines` is for a message of several lines of our own.
 */
export function escapeControl(s: string, keepNewlines = false): string {
  return s.replace(CONTROL, (ch) => (keepNewlines && ch === '\n' ? ch : (names[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)));
}
