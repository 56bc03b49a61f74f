// The layering is kept by tooling, not review: these probes show that a DOM or Node use inside
// shared/ fails the typecheck, and that a forbidden import across layers fails the lint.
import { ESLint } from 'eslint';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

/** Type-checks `code` as if it were a file of `project`, with that project's own settings. */
function typeErrors(project: string, code: string): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, project, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!parsed) throw new Error(`cannot read ${project}/tsconfig.json`);
  const options = {
    ...parsed.options,
    noEmit: true,
    composite: false,
    declaration: false,
    emitDeclarationOnly: false,
  };
  const probe = join(ROOT, project, '__layering-probe.ts');
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.getSourceFile = (name, language, ...rest) =>
    name === probe ? ts.createSourceFile(name, code, language) : getSourceFile(name, language, ...rest);
  host.fileExists = (name) => name === probe || fileExists(name);
  const program = ts.createProgram({ rootNames: [probe], options, host });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName === probe)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

/** Lints `code` as the file `path` (relative to the repo) would be linted. */
async function lintErrors(path: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: ROOT });
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, path) });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

describe('layering', () => {
  it('shared/ has no DOM: using document fails the typecheck', () => {
    expect(typeErrors('shared', 'export const title = document.title;\n')).toEqual([
      expect.stringContaining("Cannot find name 'document'"),
    ]);
  });

  it('shared/ has no Node: using process or node:fs fails the typecheck', () => {
    expect(typeErrors('shared', 'export const home = process.env.HOME;\n').join('\n')).toContain(
      "Cannot find name 'process'",
    );
    expect(
      typeErrors('shared', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n").join(
        '\n',
      ),
    ).toMatch(/Cannot find (module|name) 'node:fs'/);
  });

  it('the same code type-checks where it belongs (the probe itself works)', () => {
    expect(typeErrors('renderer', 'export const title = document.title;\n')).toEqual([]);
  });

  it('renderer/ importing main/ fails the lint', async () => {
    const errors = await lintErrors(
      'renderer/src/platform.ts',
      "import { decideWindowOpen } from '../../main/trusted-url';\nexport const x = decideWindowOpen;\n",
    );
    expect(errors.join('\n')).toContain('no-restricted-imports');
  });

  it('renderer/ importing electron or node:fs fails the lint', async () => {
    const errors = await lintErrors(
      'renderer/src/platform.ts',
      "import { ipcRenderer } from 'electron';\nimport { readFileSync } from 'node:fs';\nexport const x = [ipcRenderer, readFileSync];\n",
    );
    expect(errors.filter((e) => e.startsWith('no-restricted-imports'))).toHaveLength(2);
  });

  it('shared/ importing React or the collab-server fails the lint', async () => {
    const errors = await lintErrors(
      'shared/ids.ts',
      "import { useState } from 'react';\nimport { Room } from '../collab-server/rooms/room';\nexport const x = [useState, Room];\n",
    );
    expect(errors.filter((e) => e.startsWith('no-restricted-imports'))).toHaveLength(2);
  });
});
