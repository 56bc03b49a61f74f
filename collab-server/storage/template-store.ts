/**
 * The organiser's own workshop templates, beside the workshops in the data folder: one JSON file
 * per template (`templates/<id>.json`: its name, language, creation time and outline), each
 * written durably (temp file, fsync, rename). A template is a workshop outline
 * (shared/outline/outline.ts) holding a workshop's structure; what a file holds is read back as
 * untrusted (parseOutline), so a damaged file is skipped, never served.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { parseOutline, type Outline } from '../../shared/outline/outline';

/** What the template list shows of one template. */
export type TemplateInfo = {
  readonly id: string;
  readonly name: string;
  readonly language: string;
  /** ISO time it was saved. */
  readonly created: string;
  /** How much structure it carries: lanes, municipalities and example notes. */
  readonly counts: { readonly lanes: number; readonly municipalities: number; readonly needs: number };
};

/** A stored template with its outline. */
export type Template = TemplateInfo & { readonly outline: Outline };

/** Most templates one server keeps. */
export const MAX_TEMPLATES = 200;
/** Largest template file, bytes (the structure of a workshop at its largest is far smaller). */
export const MAX_TEMPLATE_BYTES = 4 * 1024 * 1024;
/** Template ids: `t-` and a UUID; nothing else names a file in the folder. */
export const TEMPLATE_ID = /^t-[0-9a-f-]{36}$/;

function infoOf(id: string, name: string, created: string, outline: Outline): TemplateInfo {
  return {
    id,
    name,
    language: outline.language,
    created,
    counts: {
      lanes: outline.stakeholders.length,
      municipalities: outline.municipalities?.length ?? 0,
      needs: outline.needs.length,
    },
  };
}

/** Why a template was not added: the store holds {@link MAX_TEMPLATES}, or its file would be too large. */
export class TemplateRefusedError extends Error {
  constructor(readonly reason: 'cap' | 'too-large') {
    super(
      reason === 'cap'
        ? `at most ${MAX_TEMPLATES} templates are kept`
        : `a template file holds at most ${MAX_TEMPLATE_BYTES} bytes`,
    );
    this.name = 'TemplateRefusedError';
  }
}

/** The organiser's templates in `dir`. */
export class TemplateStore {
  /** Adds run one after another, so that two at once never both take the last place. */
  private adding: Promise<unknown> = Promise.resolve();

  constructor(private readonly dir: string) {}

  /** Every readable template, newest first. */
  async list(): Promise<TemplateInfo[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    const found: TemplateInfo[] = [];
    for (const file of names) {
      const id = file.replace(/\.json$/, '');
      if (!TEMPLATE_ID.test(id) || file !== `${id}.json`) continue;
      const template = await this.get(id);
      if (template) found.push(infoOf(template.id, template.name, template.created, template.outline));
    }
    return found.sort((a, b) =>
      a.created < b.created ? 1 : a.created > b.created ? -1 : a.id < b.id ? -1 : 1,
    );
  }

  /** A template, or null when there is none with that id (or its file is damaged). */
  async get(id: string): Promise<Template | null> {
    if (!TEMPLATE_ID.test(id)) return null;
    let text: string;
    try {
      text = await readFile(join(this.dir, `${id}.json`), 'utf8');
    } catch {
      return null;
    }
    try {
      const { name, created, outline } = JSON.parse(text) as Record<string, unknown>;
      const parsed = parseOutline(outline);
      if (typeof name !== 'string' || typeof created !== 'string' || !parsed.ok) return null;
      return { ...infoOf(id, name, created, parsed.value), outline: parsed.value };
    } catch {
      return null;
    }
  }

  /**
   * Stores a new template. Throws {@link TemplateRefusedError} when the store holds
   * {@link MAX_TEMPLATES} already or the file would be larger than {@link MAX_TEMPLATE_BYTES}.
   */
  add(name: string, outline: Outline, now: Date = new Date()): Promise<TemplateInfo> {
    const added = this.adding.then(async () => {
      const id = `t-${randomUUID()}`;
      const created = now.toISOString();
      const bytes = new TextEncoder().encode(JSON.stringify({ name, created, outline }));
      if (bytes.byteLength > MAX_TEMPLATE_BYTES) throw new TemplateRefusedError('too-large');
      if ((await this.list()).length >= MAX_TEMPLATES) throw new TemplateRefusedError('cap');
      await this.writeDurably(`${id}.json`, bytes);
      return infoOf(id, name, created, outline);
    });
    this.adding = added.catch(() => undefined);
    return added;
  }

  /** Deletes a template; false when there was none with that id. */
  async remove(id: string): Promise<boolean> {
    if (!TEMPLATE_ID.test(id)) return false;
    try {
      await unlink(join(this.dir, `${id}.json`));
      return true;
    } catch {
      return false;
    }
  }

  private async writeDurably(name: string, bytes: Uint8Array): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const temp = join(this.dir, `.${randomUUID()}.tmp`);
    let handle: FileHandle | null = null;
    try {
      handle = await open(temp, 'wx', 0o600);
      await handle.writeFile(bytes);
      await handle.sync();
      await handle.close();
      handle = null;
      await rename(temp, join(this.dir, name));
    } catch (error) {
      await handle?.close().catch(() => undefined);
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    const folder = await open(this.dir, 'r');
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
  }
}
