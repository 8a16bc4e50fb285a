/** Bad command-line use: exit code 151, with the message and no stack trace. */
export class UsageError extends Error {}
