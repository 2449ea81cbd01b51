/**
 * `lfw-people:<people file>`: the identities an LFW people list names (`peopleDevTrain.txt`,
 * `peopleDevTest.txt`: a count line, then `name<TAB>images` lines), taken from the `images/`
 * folder beside the list. Lets training use View 1's training people, identity-disjoint from
 * `pairsDevTest.txt`.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { ConvertError } from "./errors.ts";
import type { ImageSource } from "./image_source.ts";
import { scanImageTree } from "./image_tree.ts";

/** The prefix of a people-list source spec. */
export const PEOPLE_PREFIX = "lfw-people:";

/** Parses an LFW people list into `name -> image count`; errors name the line. */
export function parsePeopleList(text: string, file: string): Map<string, number> {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  const people = new Map<string, number>();
  lines.forEach((line, i) => {
    const parts = line.trim().split(/\s+/);
    if (i === 0 && parts.length === 1) return; // the count line (View 1) or a fold size (View 2)
    if (parts.length !== 2 || !/^\d+$/.test(parts[1])) {
      throw new ConvertError(`${file}:${i + 1}: expected 'name<TAB>count', got '${line}'`, file);
    }
    people.set(parts[0], Number(parts[1]));
  });
  if (people.size === 0) throw new ConvertError(`${file} lists no people`, file);
  return people;
}

/**
 * Scans `images/` beside the people list, keeping only the listed identities. Every listed
 * identity must have a folder with exactly the listed number of images.
 */
export async function scanPeopleList(spec: string): Promise<ImageSource> {
  const file = spec.slice(PEOPLE_PREFIX.length);
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (e) {
    throw new ConvertError(
      `cannot read the people list ${file} (${(e as Error).message}); give an LFW people ` +
        `file such as <lfw>/peopleDevTrain.txt after '${PEOPLE_PREFIX}'`,
      file,
    );
  }
  const people = parsePeopleList(text, file);
  const tree = await scanImageTree(join(dirname(file), "images"));
  const identities = tree.identities.filter((id) => people.has(id.identity));
  for (const id of identities) {
    if (id.files.length !== people.get(id.identity)) {
      throw new ConvertError(
        `${file}: '${id.identity}' should have ${people.get(id.identity)} images but ` +
          `${id.dir} has ${id.files.length}`,
        id.dir,
      );
    }
  }
  if (identities.length !== people.size) {
    const found = new Set(identities.map((i) => i.identity));
    const missing = [...people.keys()].filter((p) => !found.has(p));
    throw new ConvertError(
      `${file} lists ${missing.length} people with no folder under ${
        join(dirname(file), "images")
      } ` +
        `(first: ${missing.slice(0, 3).join(", ")})`,
      file,
    );
  }
  return { source: spec, identities, skipped: tree.skipped };
}
