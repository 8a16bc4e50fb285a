/** Ends the process for the command line itself, where it must (refuseExit took process.exit from spec code). */
export function endProcess(code: number): never;
/** Makes process.exit() in spec code an error that names the call (see refuse-exit.js). */
export function refuseExit(): void;
