// Runs a short command to see whether a server candidate works.
import { execFile } from 'node:child_process';

export const PROBE_TIMEOUT_MS = 15_000;
/** The problem reported when the command does not exist. */
export const NOT_FOUND = 'not found';

export type ProbeResult = { ok: true; output: string } | { ok: false; problem: string };

interface ExecError extends Error {
  code?: string | number | null;
  killed?: boolean;
  signal?: NodeJS.Signals | null;
}

function lastLine(text: string): string {
  const lines = text.trim().split(/\r?\n/);
  return lines[lines.length - 1]?.trim() ?? '';
}

/** Runs `command args` (no shell) and reports success, or why it failed, in plain words. */
export function probe(command: string, args: string[], timeoutMs = PROBE_TIMEOUT_MS): Promise<ProbeResult> {
  return new Promise((resolve) => {
    try {
      execFile(
        command,
        args,
        { timeout: timeoutMs, windowsHide: true, maxBuffer: 1024 * 1024, encoding: 'utf8' },
        (error: ExecError | null, stdout: string, stderr: string) => {
          if (error === null) {
            resolve({ ok: true, output: stdout.trim() });
            return;
          }
          if (error.code === 'ENOENT') {
            resolve({ ok: false, problem: NOT_FOUND });
          } else if (error.code === 'EACCES') {
            resolve({ ok: false, problem: 'not executable (permission denied)' });
          } else if (error.killed === true || error.signal === 'SIGTERM') {
            resolve({ ok: false, problem: `no answer within ${String(timeoutMs / 1000)} s` });
          } else if (typeof error.code === 'number') {
            const detail = lastLine(stderr) || lastLine(stdout);
            resolve({ ok: false, problem: `exited with code ${String(error.code)}${detail ? `: ${detail}` : ''}` });
          } else {
            resolve({ ok: false, problem: error.message });
          }
        },
      );
    } catch (error: unknown) {
      // execFile throws synchronously on some invalid arguments (an empty command, a NUL byte).
      resolve({ ok: false, problem: error instanceof Error ? error.message : String(error) });
    }
  });
}
