/*
 * When the preview builds: one build at a time, and a save made while one runs is not
 * lost. Builds write into one folder, so two at once would interleave their files; and
 * an editor's save, a rename and a formatter's rewrite arrive as several requests, so
 * any number of requests made during a build run exactly one more build after it, with
 * every change of the meantime on disk by then.
 */

/**
 * Runs `build` when asked, never twice at once. What a build does and what it leaves
 * (the pages, their errors and print jobs) is the caller's; this owns only the schedule:
 * whether a build is running and whether another is owed after it.
 */
export class RebuildLoop {
  /** The run of builds under way (one build, plus the one owed after it, if any). */
  #running: Promise<void> | undefined;
  /** A request came while a build ran: one more build is owed. */
  #owed = false;
  #stopped = false;

  /**
   * @param build One build. Its rejection is handed to `onError` and does not stop the
   *   loop: the next save tries again.
   * @param onError Told of a build that threw (the preview logs it).
   */
  constructor(
    private readonly build: () => Promise<void>,
    private readonly onError: (err: unknown) => void,
  ) {}

  /**
   * Asks for a build. With none running, one starts now; during one, one more runs after
   * it, however many times this is called meanwhile. Does nothing once stopped. Returns at
   * once; `idle()` says when the builds are done.
   */
  request(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#owed = true;
      return;
    }
    this.#running = this.#run();
  }

  /** Resolves once no build is running or owed (at once if none is). Never rejects. */
  idle(): Promise<void> {
    return this.#running ?? Promise.resolve();
  }

  /**
   * Refuses further requests, drops a build that is owed but not started, and resolves
   * when the running one (if any) has finished, so its folder can then be removed.
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#owed = false;
    await this.idle();
  }

  async #run(): Promise<void> {
    try {
      do {
        this.#owed = false;
        try {
          await this.build();
        } catch (err) {
          this.onError(err);
        }
      } while (this.#owed && !this.#stopped);
    } finally {
      this.#running = undefined;
    }
  }
}
