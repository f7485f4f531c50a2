// The server logs to stderr as "2026-11-28 15:57:39,384 INFO logger: message" (Python's
// logging). Each line goes to the output channel at its own level, without the timestamp
// (the channel adds one); lines without a header (a traceback) keep the level of the last
// header, or error when there was none (a crash before logging started).
import * as readline from 'node:readline';
import type { Readable } from 'node:stream';
import type * as vscode from 'vscode';

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error';

const HEADER = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[,.]\d+ (DEBUG|INFO|WARNING|ERROR|CRITICAL) (.*)$/;

const LEVELS: Record<string, Level> = {
  DEBUG: 'debug',
  INFO: 'info',
  WARNING: 'warn',
  ERROR: 'error',
  CRITICAL: 'error',
};

export function forwardLines(input: Readable, channel: vscode.LogOutputChannel, initial: Level): void {
  let level: Level = initial;
  readline
    .createInterface({ input, crlfDelay: Infinity, terminal: false })
    .on('line', (line: string) => {
      const header = HEADER.exec(line);
      if (header !== null) {
        level = LEVELS[header[1] ?? ''] ?? 'info';
        channel[level](header[2] ?? '');
      } else if (line.trim() !== '') {
        channel[level](line);
      }
    });
}

export const stdioOptions = {
  stderr: (input: Readable, channel: vscode.LogOutputChannel): void => {
    forwardLines(input, channel, 'error');
  },
  stdout: (input: Readable, channel: vscode.LogOutputChannel): void => {
    forwardLines(input, channel, 'info');
  },
};
