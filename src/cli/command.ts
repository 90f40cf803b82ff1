/** A CLI command: its name, one-line summary, full help and the function that runs it. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly help: string;
  run(args: readonly string[]): Promise<number>;
}
