// Workspace Trust: the manifest declares limited support, hides every command that runs workspace code behind
// isWorkspaceTrusted, and the runtime check refuses those commands with a message that says why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUNS_WORKSPACE_CODE, restrictedModeError } from '../../../src/services/trust';

interface Pkg {
  capabilities: {
    untrustedWorkspaces: { supported: string; restrictedConfigurations: string[] };
    virtualWorkspaces: { supported: string };
  };
  contributes: {
    menus: Record<string, { command: string; when?: string }[]>;
    keybindings: { command: string; when?: string }[];
    configuration: { properties: Record<string, unknown> };
  };
}
const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as Pkg;

test('the manifest declares limited trust and virtual-workspace support, restricting settings that exist', () => {
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  assert.equal(pkg.capabilities.virtualWorkspaces.supported, 'limited');
  for (const key of pkg.capabilities.untrustedWorkspaces.restrictedConfigurations) {
    assert.ok(key in pkg.contributes.configuration.properties, `${key} is a setting of the extension`);
  }
});

test('every menu entry and keybinding of a command that runs workspace code requires a trusted workspace', () => {
  const entries = [...Object.values(pkg.contributes.menus).flat(), ...pkg.contributes.keybindings].filter((e) =>
    RUNS_WORKSPACE_CODE.has(e.command),
  );
  assert.ok(entries.length >= 8);
  for (const e of entries) assert.match(e.when ?? '', /isWorkspaceTrusted/, `${e.command}: ${e.when}`);
  for (const id of RUNS_WORKSPACE_CODE)
    assert.ok(
      pkg.contributes.menus.commandPalette.some((e) => e.command === id && /isWorkspaceTrusted/.test(e.when ?? '')),
    );
});

test('in Restricted Mode deploy and test are refused with the reason; browsing commands are not', () => {
  const e = restrictedModeError('aistore.deployEtl', 'Deploy ETL', false);
  assert.ok(e);
  assert.match(e.message, /Deploy ETL is disabled in Restricted Mode: it runs this workspace's ETL code/);
  assert.match(e.hint ?? '', /Manage Workspace Trust/);
  assert.equal(restrictedModeError('aistore.deployEtl', 'Deploy ETL', true), undefined);
  for (const id of ['aistore.refresh', 'aistore.openObject', 'aistore.showEtlLogs', 'aistore.transformObject']) {
    assert.equal(restrictedModeError(id, id, false), undefined, `${id} works in Restricted Mode`);
  }
});

test('in Restricted Mode debugging and pip for the ETL Python are refused too, each with its own reason', () => {
  const reasons = new Map([
    ['aistore.debugEtl', /runs this workspace's ETL code on this machine under the debugger/],
    ['aistore.debugEtlOnObject', /runs this workspace's ETL code on this machine under the debugger/],
    ['aistore.attachEtl', /VS Code debugs only in a trusted workspace/],
    ['aistore.installEtlSdk', /runs pip from this workspace's folder/],
  ]);
  for (const [id, why] of reasons) {
    const e = restrictedModeError(id, 'X', false);
    assert.ok(e, `${id} is refused in Restricted Mode`);
    assert.match(e.message, /^X is disabled in Restricted Mode: /);
    assert.match(e.message, why);
    assert.match(e.hint ?? '', /trust it/);
    assert.equal(restrictedModeError(id, 'X', true), undefined, `${id} runs in a trusted workspace`);
  }
});
