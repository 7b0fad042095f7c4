// "AIStore: New ETL…" (aistore.newEtl): scaffolds one of the ETL templates into `<folder>/<etl-name>/`.
// Arguments (all optional) let tests and other commands skip the prompts:
//   - a vscode.Uri (explorer context menu): the folder to create the ETL in (a file's folder when a file is given);
//   - { template, folder?, name?, overwrite?, open? }: template id (see SCAFFOLD_TEMPLATES), folder Uri or path
//     (default: the first workspace folder), ETL name (default: the template's), overwrite existing files instead of
//     picking a free `<name>-N` folder (default false), open the main file (default true).
// Returns { folder, files } (Uris of what was written); a dismissed prompt cancels the command.
import * as vscode from 'vscode';
import { validateEtlName } from '../engine/etl';
import {
  findTemplate,
  renderScaffold,
  SCAFFOLD_TEMPLATES,
  type ScaffoldTemplate,
  type ScaffoldTemplateId,
} from '../language/scaffoldTemplates';
import { planScaffoldFolder } from '../language/scaffoldPlan';
import { CancelledError, UiError } from '../services/errors';
import { declareCommand } from './table';
import { isTreeNode, type BucketsNode, type EtlsNode } from '../views/treeNodes';
import { askInput, pickOne } from './prompts';

export interface NewEtlArgs {
  template?: ScaffoldTemplateId;
  folder?: vscode.Uri | string;
  name?: string;
  overwrite?: boolean;
  open?: boolean;
}

export interface NewEtlResult {
  folder: vscode.Uri;
  files: vscode.Uri[];
}

export const newEtl = declareCommand<vscode.Uri | NewEtlArgs | BucketsNode | EtlsNode, NewEtlResult>(
  'aistore.newEtl',
  'New ETL',
  async (s, arg) => {
    // Plain arguments never prompt; the explorer passes a folder Uri, the Clusters view a node (both prompt).
    const scripted = arg instanceof vscode.Uri || isTreeNode(arg) ? undefined : arg;
    const template = scripted?.template ? findTemplate(scripted.template) : await pickTemplate();
    if (!template)
      throw new UiError(`Unknown template "${scripted?.template}"`, {
        hint: `use one of ${SCAFFOLD_TEMPLATES.map((t) => t.id).join(', ')}`,
      });
    const name = scripted ? scriptedName(scripted, template) : await askName(template);
    const base = await resolveBaseFolder(arg, scripted);
    const target = await chooseTargetFolder(base, name, template, scripted);
    const files = await writeFiles(target, template.id, name);
    s.log.info(
      `New ETL "${name}" (${template.label}): ${files.map((f) => vscode.workspace.asRelativePath(f)).join(', ')}`,
    );
    if (scripted?.open ?? true) {
      const main = files.find((f) => f.path.endsWith(`/${template.mainFile}`)) ?? files[0];
      await vscode.window.showTextDocument(main, { preview: false });
    }
    return { folder: target, files };
  },
);

function scriptedName(args: NewEtlArgs, template: ScaffoldTemplate): string {
  const name = args.name ?? template.defaultName;
  const problem = validateEtlName(name);
  if (problem)
    throw new UiError(problem, { hint: 'pass a name of 6-32 characters from [a-z0-9-], starting with a letter' });
  return name;
}

async function pickTemplate(): Promise<ScaffoldTemplate> {
  const items = SCAFFOLD_TEMPLATES.map((t) => ({
    label: t.label,
    detail: t.detail,
    description: t.files.map((f) => f.path).join(', '),
    template: t,
  }));
  const picked = await pickOne({
    title: 'AIStore: New ETL',
    step: 1,
    totalSteps: 2,
    items,
    placeholder: 'What kind of ETL?',
    matchOnDetail: true,
  });
  return picked.template;
}

async function askName(template: ScaffoldTemplate): Promise<string> {
  const name = await askInput({
    title: `AIStore: New ETL — ${template.label}`,
    step: 2,
    totalSteps: 2,
    prompt: 'ETL name (also the name of the folder the files go into)',
    value: template.defaultName,
    check: (value) => {
      const p = validateEtlName(value.trim());
      return p ? { error: p } : undefined;
    },
  });
  if (!name.trim()) throw new CancelledError();
  return name.trim();
}

async function resolveBaseFolder(arg: unknown, scripted: NewEtlArgs | undefined): Promise<vscode.Uri> {
  if (arg instanceof vscode.Uri) {
    const stat = await vscode.workspace.fs.stat(arg);
    return stat.type & vscode.FileType.Directory ? arg : vscode.Uri.joinPath(arg, '..');
  }
  if (scripted?.folder) return typeof scripted.folder === 'string' ? vscode.Uri.file(scripted.folder) : scripted.folder;
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (scripted) {
    if (folders.length === 0)
      throw new UiError('No folder is open', { hint: 'open a folder, or pass `folder` to aistore.newEtl' });
    return folders[0].uri;
  }
  if (folders.length === 1) return folders[0].uri;
  const picked =
    folders.length > 1
      ? (await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Workspace folder for the new ETL' }))?.uri
      : (
          await vscode.window.showOpenDialog({
            canSelectFolders: true,
            canSelectFiles: false,
            canSelectMany: false,
            openLabel: 'Create ETL here',
            title: 'AIStore: New ETL — choose a folder',
          })
        )?.[0];
  if (!picked) throw new CancelledError();
  return picked;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** `<base>/<name>`, or — when some of the files exist there — what the user (or `overwrite`) decides. */
async function chooseTargetFolder(
  base: vscode.Uri,
  name: string,
  template: ScaffoldTemplate,
  scripted: NewEtlArgs | undefined,
): Promise<vscode.Uri> {
  const plan = await planScaffoldFolder(
    name,
    template.files.map((f) => f.path),
    (rel) => exists(vscode.Uri.joinPath(base, rel)),
  );
  if (plan.conflicts.length === 0) return vscode.Uri.joinPath(base, plan.preferredFolder);
  if (scripted) return vscode.Uri.joinPath(base, scripted.overwrite ? plan.preferredFolder : plan.freeFolder);
  const overwrite = 'Overwrite';
  const useFree = `Create in ${plan.freeFolder}/`;
  const existing = plan.conflicts.map((p) => `${plan.preferredFolder}/${p}`).join(', ');
  const choice = await vscode.window.showWarningMessage(
    `${existing} already exist${plan.conflicts.length === 1 ? 's' : ''}.`,
    {
      modal: true,
      detail: `Overwrite ${plan.conflicts.length === 1 ? 'it' : 'them'}, or create the ETL in ${plan.freeFolder}/ instead?`,
    },
    useFree,
    overwrite,
  );
  if (choice === overwrite) return vscode.Uri.joinPath(base, plan.preferredFolder);
  if (choice === useFree) return vscode.Uri.joinPath(base, plan.freeFolder);
  throw new CancelledError();
}

async function writeFiles(folder: vscode.Uri, template: ScaffoldTemplateId, name: string): Promise<vscode.Uri[]> {
  await vscode.workspace.fs.createDirectory(folder);
  const written: vscode.Uri[] = [];
  for (const file of renderScaffold(template, name)) {
    const uri = vscode.Uri.joinPath(folder, file.path);
    await vscode.workspace.fs.writeFile(uri, Buffer.from(file.content, 'utf8'));
    written.push(uri);
  }
  return written;
}
