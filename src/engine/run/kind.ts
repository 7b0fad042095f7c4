// Which way a file is run locally, from the same detection the editor and deploy use.
import * as path from 'node:path';
import { detectEtlFileKind } from '../etl';
import type { LocalRunKind } from './types';

const SDK_BASES = '(?:FastAPIServer|FlaskServer|HTTPMultiThreadedServer|ETLServer)';
const SDK_CLASS = new RegExp(`^class\\s+\\w+\\s*\\(\\s*(?:[\\w.]+\\.)?${SDK_BASES}\\s*\\)`, 'm');

/** True when the Python text defines an aistore[etl] server class (ETLServer subclass). */
export function definesEtlServerClass(text: string): boolean {
  return SDK_CLASS.test(text.replace(/#[^\n]*/g, ''));
}

/** The run kind of `file` with content `text`, or an explanation of why it cannot be run. */
export function detectRunKind(file: string, text: string): LocalRunKind | { error: string } {
  if (file.endsWith('.py') && definesEtlServerClass(text)) return 'etl-class';
  switch (detectEtlFileKind(file, text)) {
    case 'python-transform':
      return 'code';
    case 'io-script':
      return 'io';
    case 'pod-spec':
    case 'runtime-spec':
      return 'server';
    case 'dockerfile':
      return {
        error:
          `${path.basename(file)} is a Dockerfile: run the server it starts (its .py file) ` +
          "or the ETL's spec instead.",
      };
    default:
      // 'unknown', and kinds added later that are not run directly
      if (file.endsWith('.py') && /\bdo_(?:PUT|POST|GET)\b|\.serve_forever\(|\.run\(/.test(text)) return 'server';
      return {
        error:
          `${path.basename(file)} is not an ETL this can run: expected a Python transform(data) function, ` +
          'an io:// script (stdin → stdout), an ETLServer class, a server (server.py), or a Pod/runtime spec.',
      };
  }
}
