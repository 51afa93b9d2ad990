/** The stages `brief build --profile` reports, in the order a brief goes through them. */
export const STAGES = ['load', 'validate', 'tally', 'render', 'print', 'write'] as const;
export type Stage = (typeof STAGES)[number];

/** Runs a piece of work, counting its time against a stage. */
export type Timer = <T>(stage: Stage, work: () => T) => T;

export const untimed: Timer = (_stage, work) => work();
