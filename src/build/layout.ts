import path from 'node:path';
import { CONFIG_FILE } from '../core/config.js';

/*
 * Where a project's files are, in one place for every command: build, check, tally and
 * export read them from here and serve watches exactly these. The rule: incident files
 * and places.yaml sit beside a briefs folder (in its parent, so `brief build proj/briefs`
 * finds proj/incidents/ and proj/places.yaml); brief.config.yaml is in the folder the
 * command runs in, as for other command-line tools' configuration files.
 */

/** What belongs to one folder of briefs: the incident files and places beside it. */
export interface FolderLayout {
  /** The folder of brief files. */
  briefs: string;
  /** incidents/ beside it: incident files, `{series, incidents}`. */
  incidents: string;
  /** places.yaml beside it. */
  places: string;
}

/** The files beside a folder of briefs (absolute paths in, absolute paths out). */
export function folderLayout(briefs: string): FolderLayout {
  const root = path.dirname(briefs);
  return { briefs, incidents: path.join(root, 'incidents'), places: path.join(root, 'places.yaml') };
}

/** brief.config.yaml for a run started in `cwd`. */
export const configFile = (cwd: string): string => path.join(cwd, CONFIG_FILE);
