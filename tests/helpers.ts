import { spawn, execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadYaml } from '../src/core/load.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const FIXTURES = path.join(ROOT, 'tests', 'fixtures');
export const BIN = path.join(ROOT, 'bin', 'brief.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The CLI with `args`, as a user runs it: main() (src/cli/main.ts), the function bin/brief.js
 * calls, run in this test process with the environment, working directory and streams a
 * process of its own would have; a run of its own costs a second of CPU in Node's start-up
 * and module loading, which made up most of the suite's time. A process of its own all the
 * same where only one shows what is tested: another Node, Node options, or a run started
 * while another is under way (the environment and working directory are the process's).
 * tests/integration/cli.test.ts and signals.test.ts use runCliProcess for exit statuses,
 * signals and what bin/ does.
 */
export function runCli(args: string[], options: RunOptions = {}): Promise<CliResult> {
  if (options.node || options.nodeArgs?.length || inProcessBusy) return runCliProcess(args, options);
  return runInProcess(args, options);
}

/** The real CLI as a separate process. */
export function runCliProcess(args: string[], options: RunOptions = {}): Promise<CliResult> {
  return runNode(BIN, args, options);
}

let inProcessBusy = false;

async function runInProcess(args: string[], options: RunOptions): Promise<CliResult> {
  inProcessBusy = true;
  const savedEnv = { ...process.env };
  const savedCwd = process.cwd();
  let stdout = '';
  let stderr = '';
  try {
    for (const [key, value] of Object.entries(options.env ?? {})) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    const cwd = options.cwd ?? ROOT;
    process.chdir(cwd);
    // A child's stdout and stderr are pipes, not a terminal: no isTTY, as there.
    const io = {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: {
        write: (s: string) => {
          stderr += s;
          options.onStderr?.(stderr);
        },
      },
      cwd,
      env: process.env,
      name: 'brief',
    };
    const { main } = await import('../src/cli/main.js');
    return { code: await main(args, io), stdout, stderr };
  } finally {
    process.chdir(savedCwd);
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
    inProcessBusy = false;
  }
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Options for Node itself, such as a heap limit. */
  nodeArgs?: string[];
  /** Another Node binary to run it with (default: this process's). */
  node?: string;
  /** Called with all of stderr so far, each time more arrives (to act mid-run). */
  onStderr?: (all: string) => void;
}

/** A Node script in a process of its own, its output collected. */
export function runNode(script: string, args: string[], options: RunOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(options.node ?? process.execPath, [...(options.nodeArgs ?? []), script, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      options.onStderr?.(stderr);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export const tempDir = (prefix = 'flashbrief-'): string => mkdtempSync(path.join(tmpdir(), prefix));

/** A named pipe at `file` (which a reader that waits on it would wait on forever). */
export const mkfifoSync = (file: string): void => void execFileSync('mkfifo', [file]);

/** A new project folder whose briefs/ holds the given files. */
export function projectWith(files: Record<string, string | Buffer>): string {
  const dir = tempDir();
  mkdirSync(path.join(dir, 'briefs'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, 'briefs', name), text);
  return dir;
}

/** A copy of a fixture folder in a fresh temporary folder, so tests can change it freely. */
export function copyFixtures(name: string): string {
  const dir = tempDir();
  cpSync(path.join(FIXTURES, name), path.join(dir, 'briefs'), { recursive: true });
  return dir;
}

// Tests that open a PDF read it back with poppler, the way a person checking it would.
export const pdfText = (file: string): string => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
export const pdfInfo = (file: string): Record<string, string> =>
  Object.fromEntries(
    execFileSync('pdfinfo', [file], { encoding: 'utf8' })
      .split('\n')
      .map((line) => /^([^:]+):\s*(.*)$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1] as string, m[2] as string]),
  );
export function pdfFonts(file: string): { name: string; type: string; embedded: boolean }[] {
  const lines = execFileSync('pdffonts', [file], { encoding: 'utf8' }).trim().split('\n').slice(2);
  return lines.map((line) => {
    const cols = line.trim().split(/\s+/);
    // name, type (one or two words), encoding, emb, sub, uni, object, generation
    const emb = cols.at(-5);
    return { name: cols[0] as string, type: cols.slice(1, -6).join(' '), embedded: emb === 'yes' };
  });
}

/** Parses YAML text for tests of the pure core. */
export const parse = (text: string, file = 'test.yaml') => loadYaml(text, file);

/** Processes whose environment carries the tag: the CLI and every Chromium it started. */
export function processesTagged(tag: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').includes(`FLASHBRIEF_TEST_TAG=${tag}`)) pids.push(Number(entry));
    } catch {
      // the process ended while we looked, or is not ours to read
    }
  }
  return pids;
}

/**
 * An empty project for briefs about page breaks: a briefs/ folder and a configuration
 * with an organization and a disclaimer, so every PDF ends in the closing lines.
 */
export function closingLinesProject(): string {
  const dir = tempDir();
  mkdirSync(path.join(dir, 'briefs'));
  writeFileSync(
    path.join(dir, 'brief.config.yaml'),
    'organization: Example Policy Institute\ndisclaimer: >-\n  This is an example brief. Its incident records and counts come from public reporting cited in it.\n',
  );
  return dir;
}

