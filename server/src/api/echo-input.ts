/** How much of one piece of the caller's input an error message repeats. */
export const ECHO_LIMIT = 200;

/** `value` as an error message may quote it: cut to {@link ECHO_LIMIT} characters, saying how long it was. */
export function echoInput(value: string, limit = ECHO_LIMIT): string {
  return value.length <= limit ? value : `${value.slice(0, limit)}… (${value.length} characters)`;
}

/**
 * `message` with every run of more than {@link ECHO_LIMIT} non-space characters cut short: the
 * messages that quote a key or id (NOT_FOUND, "did you mean") must not send a 90 kB key back
 * twice, wherever they were written.
 */
export function truncateEchoes(message: string): string {
  return message.replace(new RegExp(`\\S{${ECHO_LIMIT + 1},}`, 'g'), (run) => echoInput(run));
}
