// Spec code runs in the threads of this process. A process.exit() in it would end the whole run
// with nothing reported (in a worker thread, the thread, which the search then takes for a crash),
// and a CI gate would see the exit code the spec chose. Each thread that runs spec code makes the
// call an error instead: thrown where the spec called it, it is reported as the spec's own error,
// naming the file, or the action and the state.
const exit = process.exit.bind(process);

/** Ends the process for the command line itself, where it must (refuseExit took process.exit from spec code). */
export function endProcess(code) {
  exit(code);
}

export function refuseExit() {
  process.exit = (code) => {
    throw new Error(`process.exit(${code ?? ''}) was called by spec code: a spec must not end the process (throw an Error to report a problem)`);
  };
}
