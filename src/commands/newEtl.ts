// "AIStore: New ETL…" (aistore.newEtl): scaffolds one of the ETL templates into `<folder>/<etl-name>/`.
// Arguments (all optional) let tests and other commands skip the prompts:
//   - a vscode.Uri (explorer context menu): the folder to create the ETL in (a file's folder when a file is given);
//   - { template, folder?, name?, overwrite?, open? }: template id (see SCAFFOLD_TEMPLATES), folder Uri or path
//     (default: the first workspace folder), ETL name (default: the template's), overwrite existing files instead of
//     picking a free `<name>-N` folder (default false), open the main file (default true).
// Returns { folder, files } (Uris of what was written), or undefined when the user cancelled.
import * as vscode from 'vscode';
import { validateEtlName } from '../engine/etl';
import { findTemplate, renderScaffold, SCAFFOLD_TEMPLATES, type ScaffoldTemplate, type ScaffoldTemplateId } from '../language/scaffoldTemplates';
import { planScaffoldFolder } from '../language/scaffoldPlan';

export interface NewEtlArgs {
  template?: ScaffoldTemplateId;
  folder?: vscode.Uri | string;
  name?: string;
  overwrite?: boolean;
  open?: boolean;
}

export interface NewEtlResult { folder: vscode.Uri; files: vscode.Uri[] }

type Log = vscode.LogOutputChannel;

export function registerNewEtlCommand(context: vscode.ExtensionContext, deps: { log: Log }): void {
  context.subscriptions.push(vscode.commands.registerCommand('aistore.newEtl', (arg?: unknown) => newEtl(arg, deps.log)));
}

async function newEtl(arg: unknown, log: Log): Promise<NewEtlResult | undefined> {
  const scripted = isArgs(arg) ? arg : undefined; // plain arguments: never prompt
  try {
    const template = scripted?.template ? findTemplate(scripted.template) : await pickTemplate();
    if (!template) return undefined;
    const name = scripted ? scriptedName(scripted, template) : await askName(template);
    if (!name) return undefined;
    const base = await resolveBaseFolder(arg, scripted);
    if (!base) return undefined;
    const target = await chooseTargetFolder(base, name, template, scripted);
    if (!target) return undefined;
    const files = await writeFiles(target, template.id, name);
    log.info(`New ETL "${name}" (${template.label}): ${files.map((f) => vscode.workspace.asRelativePath(f)).join(', ')}`);
    if (scripted?.open ?? true) {
      const main = files.find((f) => f.path.endsWith(`/${template.mainFile}`)) ?? files[0];
      await vscode.window.showTextDocument(main, { preview: false });
    }
    return { folder: target, files };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    log.error(`New ETL failed: ${message}`);
    if (scripted) throw err;
    const choice = await vscode.window.showErrorMessage(`Could not create the ETL files: ${message}`, 'Show log');
    if (choice === 'Show log') log.show();
    return undefined;
  }
}

function isArgs(arg: unknown): arg is NewEtlArgs {
  return typeof arg === 'object' && arg !== null && !(arg instanceof vscode.Uri) && ('template' in arg || 'folder' in arg || 'name' in arg);
}

function scriptedName(args: NewEtlArgs, template: ScaffoldTemplate): string {
  const name = args.name ?? template.defaultName;
  const problem = validateEtlName(name);
  if (problem) throw new Error(`${problem}. Pass a name of 6-32 characters from [a-z0-9-], starting with a letter.`);
  return name;
}

async function pickTemplate(): Promise<ScaffoldTemplate | undefined> {
  const picked = await vscode.window.showQuickPick(
    SCAFFOLD_TEMPLATES.map((t) => ({ label: t.label, detail: t.detail, description: t.files.map((f) => f.path).join(', '), template: t })),
    { title: 'AIStore: New ETL', placeHolder: 'What kind of ETL?', matchOnDetail: true },
  );
  return picked?.template;
}

async function askName(template: ScaffoldTemplate): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: `AIStore: New ETL — ${template.label}`,
    prompt: 'ETL name (also the name of the folder the files go into)',
    value: template.defaultName,
    validateInput: (value) => validateEtlName(value.trim()),
  }).then((v) => v?.trim() || undefined);
}

async function resolveBaseFolder(arg: unknown, scripted: NewEtlArgs | undefined): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) {
    const stat = await vscode.workspace.fs.stat(arg);
    return stat.type & vscode.FileType.Directory ? arg : vscode.Uri.joinPath(arg, '..');
  }
  if (scripted?.folder) return typeof scripted.folder === 'string' ? vscode.Uri.file(scripted.folder) : scripted.folder;
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (scripted) {
    if (folders.length === 0) throw new Error('No folder is open: open a folder, or pass `folder` to aistore.newEtl.');
    return folders[0].uri;
  }
  if (folders.length === 1) return folders[0].uri;
  if (folders.length > 1) return (await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Workspace folder for the new ETL' }))?.uri;
  const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Create ETL here', title: 'AIStore: New ETL — choose a folder' });
  return picked?.[0];
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
async function chooseTargetFolder(base: vscode.Uri, name: string, template: ScaffoldTemplate, scripted: NewEtlArgs | undefined): Promise<vscode.Uri | undefined> {
  const plan = await planScaffoldFolder(name, template.files.map((f) => f.path), (rel) => exists(vscode.Uri.joinPath(base, rel)));
  if (plan.conflicts.length === 0) return vscode.Uri.joinPath(base, plan.preferredFolder);
  if (scripted) return vscode.Uri.joinPath(base, scripted.overwrite ? plan.preferredFolder : plan.freeFolder);
  const overwrite = 'Overwrite';
  const useFree = `Create in ${plan.freeFolder}/`;
  const existing = plan.conflicts.map((p) => `${plan.preferredFolder}/${p}`).join(', ');
  const choice = await vscode.window.showWarningMessage(`${existing} already exist${plan.conflicts.length === 1 ? 's' : ''}.`,
    { modal: true, detail: `Overwrite ${plan.conflicts.length === 1 ? 'it' : 'them'}, or create the ETL in ${plan.freeFolder}/ instead?` }, useFree, overwrite);
  if (choice === overwrite) return vscode.Uri.joinPath(base, plan.preferredFolder);
  if (choice === useFree) return vscode.Uri.joinPath(base, plan.freeFolder);
  return undefined;
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
